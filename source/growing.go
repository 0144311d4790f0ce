package source

import (
	"bytes"
	"io"
	"time"
)

// growingText reads a file that others append to, and sends what was appended as whole
// lines: the file followers and the spool followers share it.
type growingText struct {
	r       io.ReaderAt
	gen     *Generation
	pos     int64     // how far the text has been read
	partial []byte    // the bytes after the last newline read
	grew    time.Time // when a read last found new text
	mark    []byte    // the last bytes read, to notice the text being replaced under us
}

// markLen is how many of the last bytes read are kept to compare.
const markLen = 64

// readSize is how much is read at a time: large, so that a file's existing text is
// delivered in few chunks.
const readSize = 1 << 20

// maxLine is how long a line without a line feed grows before it is sent cut.
const maxLine = 16 << 20

// partialQuiet is how long a last line without its line feed waits for the rest before
// it is sent as it is: a file of one unterminated line (or of NUL bytes) is shown, not
// held for ever. Loggers write whole lines, so a line is rarely cut this way.
const partialQuiet = 2 * time.Second

// readLines sends the whole lines appended since the last call, in chunks.
func (g *growingText) readLines(send func(Chunk) error) error {
	for {
		buf := make([]byte, len(g.partial), len(g.partial)+readSize)
		copy(buf, g.partial)
		n, err := g.r.ReadAt(buf[len(buf):cap(buf)], g.pos)
		if n == 0 {
			if err != nil && err != io.EOF {
				return err
			}
			if len(g.partial) > 0 && time.Since(g.grew) >= partialQuiet {
				return g.flushPartial(send) // a last line that stays unfinished is shown as it is
			}
			return nil
		}
		start := g.pos - int64(len(g.partial))
		buf = buf[:len(buf)+n]
		g.pos += int64(n)
		g.grew = time.Now()
		g.mark = append(g.mark[:0], buf[max(0, len(buf)-markLen):]...)
		end := bytes.LastIndexByte(buf, '\n') + 1
		if end == 0 && len(buf) >= maxLine {
			end = len(buf) // a line this long is cut, as the entry splitter (model/split) cuts it in a file cuts it in a file
		}
		g.partial = append([]byte(nil), buf[end:]...)
		if end > 0 {
			if err := send(Chunk{Gen: g.gen, Offset: start, Data: buf[:end]}); err != nil {
				return err
			}
		}
		if n < readSize { // a short read: the end, for now
			return nil
		}
	}
}

// flushPartial sends the held partial line of text that will not grow any more.
func (g *growingText) flushPartial(send func(Chunk) error) error {
	if len(g.partial) == 0 {
		return nil
	}
	data := g.partial
	g.partial = nil
	return send(Chunk{Gen: g.gen, Offset: g.pos - int64(len(data)), Data: data})
}

// unchanged reports whether the text still holds, just before where it was read up to, the
// bytes that were read there. A file truncated and written again past that point does not.
func (g *growingText) unchanged() bool {
	if len(g.mark) == 0 {
		return true
	}
	buf := make([]byte, len(g.mark))
	n, err := g.r.ReadAt(buf, g.pos-int64(len(g.mark)))
	if n < len(buf) && err != nil && err != io.EOF {
		return true // a read error is not a truncation: the next check tries again
	}
	return n == len(buf) && bytes.Equal(buf, g.mark)
}
