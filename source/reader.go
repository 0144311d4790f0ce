package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// Reader is a live source that reads a stream to its end: standard input fed by a pipe
// (ssh node tail -F support.log | calltail -). With a spool, the text is written to it
// first so that entries can be read back; without, the text is passed on as it comes.
type Reader struct {
	name  string
	r     io.Reader
	spool *Spool
	bytes atomic.Int64
}

// NewReader returns a live source reading r, called name ("-" for standard input). spool
// may be nil.
func NewReader(name string, r io.Reader, spool *Spool) *Reader {
	return &Reader{name: name, r: r, spool: spool}
}

// Name returns the name given.
func (s *Reader) Name() string { return s.name }

// Stats returns how much text was read.
func (s *Reader) Stats() Stats { return Stats{Bytes: s.bytes.Load()} }

// deadliner is a stream whose blocked reads can be interrupted, as os pipes can.
type deadliner interface{ SetReadDeadline(time.Time) error }

// Run reads until the stream ends or ctx is done. A read blocked on a stream that cannot
// take a deadline (a terminal) ends only when the stream does.
func (s *Reader) Run(ctx context.Context, out chan<- Chunk) error {
	if d, ok := s.r.(deadliner); ok {
		stop := context.AfterFunc(ctx, func() { d.SetReadDeadline(time.Now()) })
		defer stop()
	}
	send := func(c Chunk) error {
		c.Source = s.name
		select {
		case out <- c:
			return nil
		case <-ctx.Done():
			return errStopped
		}
	}
	if err := send(Chunk{State: Following, Note: "reading " + s.name}); err != nil {
		return nil
	}
	if s.spool != nil {
		return s.runSpooled(ctx, send)
	}
	gen := &Generation{Name: s.name}
	var off int64
	// The bytes after the last line end sent grow in place, and only the bytes just read
	// are searched for a line end: a line of many megabytes costs linear time.
	var partial []byte
	const readSize = 256 << 10
	for {
		held := len(partial)
		if cap(partial)-held < readSize {
			partial = append(make([]byte, 0, held+max(held, readSize)), partial...)
		}
		n, err := s.r.Read(partial[held : held+readSize])
		if n > 0 {
			s.bytes.Add(int64(n))
			data := partial[:held+n]
			end := bytes.LastIndexByte(data[held:], '\n') + 1
			if end > 0 {
				end += held
			} else if len(data) >= maxLine {
				end = len(data) // a line this long is cut, as a file's is
			}
			if end == 0 {
				partial = data
			} else {
				partial = append([]byte(nil), data[end:]...)
				if send(Chunk{Gen: gen, Offset: off, Data: data[:end:end]}) != nil {
					return nil
				}
				off += int64(end)
			}
		}
		if err != nil {
			if len(partial) > 0 && errors.Is(err, io.EOF) {
				send(Chunk{Gen: gen, Offset: off, Data: partial})
			}
			return readEnd(ctx, err)
		}
	}
}

// runSpooled copies the stream into the spool and follows the spool.
func (s *Reader) runSpooled(ctx context.Context, send func(Chunk) error) error {
	stopWriter := make(chan struct{})
	writerDone := make(chan struct{})
	go func() { s.spool.writeLoop(stopWriter); close(writerDone) }()
	stopFollow := make(chan struct{})
	followDone := make(chan error, 1)
	from := s.spool.Size()
	go func() { followDone <- s.spool.follow(from, stopFollow, send) }()

	_, err := io.Copy(countingWriter{s.spool, &s.bytes}, s.r)
	close(stopWriter)
	<-writerDone
	close(stopFollow)
	if ferr := <-followDone; ferr != nil && ferr != errStopped && err == nil {
		err = ferr
	}
	if err == nil {
		err = s.spool.Err()
	}
	return readEnd(ctx, err)
}

// readEnd turns the error that ended a read into Run's result: the end of the stream and
// a cancelled run are not errors.
func readEnd(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, io.EOF) || ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	return err
}

type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
