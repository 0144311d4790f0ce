// Package split cuts log text into entries, where the format's parser says a line starts
// one (a line that does not continues the entry above it). A stream is read in blocks of
// whole entries that are worked on in parallel, keeping their order (Run): that is how
// calltail reads a 1 GB file on every core without holding it in memory, with read(2) into
// reused buffers. Text that arrives over time is cut by a Joiner, which holds each stream's
// last entry until its next line, or a quiet moment, shows it complete.
package split

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"runtime"
	"sync"

	"github.com/calltail/calltail/model/parallel"
)

// Block is a run of whole entries read from one stream.
type Block struct {
	Offset int64  // offset of Data in the stream
	Data   []byte // whole entries; only valid until the work function returns
}

// StartsEntry reports whether a line (without its terminator) begins a new entry.
type StartsEntry func(line []byte) bool

// Options tune Run. The zero value is ready to use.
type Options struct {
	BlockSize int // a block is cut once this much is read (a buffer holds up to twice as much); default 1 MiB
	MaxBlock  int // a block with no entry boundary is cut anyway past this; default 16 MiB
	Workers   int // goroutines running work; default GOMAXPROCS
}

func (o Options) withDefaults() Options {
	if o.BlockSize <= 0 {
		o.BlockSize = 1 << 20
	}
	if o.MaxBlock < o.BlockSize {
		o.MaxBlock = max(16<<20, o.BlockSize)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Run reads r to its end in blocks cut at entry boundaries, calls work on each block on one
// of opt.Workers goroutines, and calls emit with the results in the order of the blocks.
// work must not keep block.Data. Run stops at the first error from r or emit, or when ctx
// is cancelled, and returns that error.
func Run[T any](ctx context.Context, r io.Reader, starts StartsEntry, opt Options,
	work func(Block) T, emit func(T) error) error {
	opt = opt.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		block Block
		buf   *[]byte
	}
	pool := sync.Pool{New: func() any { b := make([]byte, 0, opt.BlockSize*2); return &b }}
	var err error // set by the emitting goroutine; read after Close
	workers := parallel.NewOrdered(opt.Workers, func(j job) T {
		result := work(j.block)
		pool.Put(j.buf)
		return result
	}, func(result T) {
		if err == nil {
			if err = emit(result); err != nil {
				cancel()
			}
		}
	})
	readErr := readBlocks(ctx, r, starts, opt, &pool, func(c Block, buf *[]byte) bool {
		if ctx.Err() != nil {
			pool.Put(buf)
			return false
		}
		workers.Submit(job{block: c, buf: buf})
		return true
	})
	workers.Close()
	if err == nil {
		err = readErr
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// readBlocks reads r and hands each block, in a buffer from pool, to send until r ends or send
// returns false.
func readBlocks(ctx context.Context, r io.Reader, starts StartsEntry, opt Options, pool *sync.Pool,
	send func(Block, *[]byte) bool) error {
	var carry []byte // the start of the next block, read but not yet sent
	var offset int64
	eof := false
	for {
		buf := pool.Get().(*[]byte)
		b := append((*buf)[:0], carry...)
		cut := -1
		from := 0 // lines before this were looked at by Cut already
		// Only the bytes just read are searched for a line end, and Cut is called only when
		// one came (or the block must be cut), so that a line of many megabytes that
		// arrives in small reads costs linear time.
		lastLF, newLF := bytes.LastIndexByte(b, '\n'), len(b) > 0
		for cut < 0 && !eof {
			if len(b) == cap(b) {
				b = append(b, 0)[:len(b)] // grow: the entry in hand is longer than the buffer
			}
			n, err := r.Read(b[len(b):cap(b)])
			b = b[:len(b)+n]
			switch {
			case errors.Is(err, io.EOF):
				eof = true
			case err != nil:
				pool.Put(buf)
				return err
			}
			if i := bytes.LastIndexByte(b[len(b)-n:], '\n'); i >= 0 {
				lastLF, newLF = len(b)-n+i, true
			}
			if force := len(b) >= opt.MaxBlock; n > 0 && len(b) >= opt.BlockSize && (newLF || force) {
				cut = Cut(b, from, starts, force)
				from, newLF = lastLF+1, false
			}
		}
		if cut < 0 { // end of stream: everything left is whole entries
			cut = len(b)
		}
		carry = append(carry[:0], b[cut:]...)
		*buf = b
		if cut > 0 {
			if !send(Block{Offset: offset, Data: b[:cut]}, buf) {
				return ctx.Err()
			}
		} else {
			pool.Put(buf)
		}
		offset += int64(cut)
		if eof && len(carry) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Cut returns where to end a block of b so that it holds only whole entries: the start of
// the last complete line that begins an entry, other than the first line. When no line
// after the first begins an entry, the lines are entries by themselves (and b can be cut
// after its last complete line) unless the first line begins an entry that they continue;
// then Cut returns -1, or with force set, cuts after the last complete line anyway (or,
// if b holds no line end at all, after all of b). Lines that start before from were
// looked at by an earlier call and are not looked at again. Without force, Cut returns -1
// when b holds no complete line.
func Cut(b []byte, from int, starts StartsEntry, force bool) int {
	end := bytes.LastIndexByte(b, '\n') // the last complete line ends here
	if end < 0 {
		if force {
			return len(b)
		}
		return -1
	}
	for lineEnd := end; ; {
		prev := bytes.LastIndexByte(b[:lineEnd], '\n')
		if prev < 0 || prev+1 < from {
			break
		}
		if starts(trimCR(b[prev+1 : lineEnd])) {
			return prev + 1
		}
		lineEnd = prev
	}
	if force || !starts(trimCR(b[:lineEndNoLF(b, 0)])) {
		return end + 1
	}
	return -1
}

// Entries yields the offset and raw bytes of each entry in data, which holds whole entries
// and begins at an entry boundary. A line that does not start an entry continues the entry
// above it if that entry's first line started one; otherwise it is an entry by itself, so
// that text with no time stamps is one entry per line. The raw bytes exclude the final line
// terminator (LF or CRLF).
func Entries(data []byte, starts StartsEntry) iter.Seq2[int, []byte] {
	return Wanted(data, func(line []byte) Line {
		if starts(line) {
			return Starts
		}
		return Continues
	})
}

// Line says what a line is to the entries around it.
type Line uint8

const (
	Continues      Line = iota // it starts no entry
	Starts                     // it starts an entry
	StartsUnwanted             // it starts an entry that is not wanted
)

// Wanted yields the entries of data as Entries does, with kind saying which lines start
// an entry, except those whose first line kind calls unwanted.
func Wanted(data []byte, kind func(line []byte) Line) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		if len(data) == 0 {
			return
		}
		// Each line is searched for its end once: stop is where the line at the entry's
		// last line looked at ends (its line feed, or len(data)).
		pos, stop := 0, lineEndNoLF(data, 0)
		first := kind(trimCR(data[:stop]))
		for pos < len(data) {
			end := min(stop+1, len(data))
			next := Continues
			for end < len(data) {
				stop = lineEndNoLF(data, end)
				next = kind(trimCR(data[end:stop]))
				if next != Continues || first == Continues {
					break
				}
				end = min(stop+1, len(data))
			}
			if first != StartsUnwanted && !yield(pos, TrimEOL(data[pos:end])) {
				return
			}
			pos, first = end, next
		}
	}
}

// EntryEnd returns where the entry that starts at pos ends (the start of the next entry, or len(data)).
func EntryEnd(data []byte, pos int, starts StartsEntry) int {
	end := lineEnd(data, pos)
	if !starts(trimCR(data[pos:lineEndNoLF(data, pos)])) {
		return end
	}
	for end < len(data) && !starts(trimCR(data[end:lineEndNoLF(data, end)])) {
		end = lineEnd(data, end)
	}
	return end
}

// EntryAround returns the bounds of the entry that holds offset i, looking back no further
// than floor, which must be an entry boundary at or before i.
func EntryAround(data []byte, floor, i int, starts StartsEntry) (start, end int) {
	start = EntryStart(data, floor, LineStart(data, i), starts)
	return start, EntryEnd(data, start, starts)
}

// EntryStart returns where the entry that holds the line starting at line begins, looking
// back no further than floor, which must be an entry boundary.
func EntryStart(data []byte, floor, line int, starts StartsEntry) int {
	for l := line; ; {
		if starts(trimCR(data[l:lineEndNoLF(data, l)])) {
			return l
		}
		if l <= floor {
			return line // no start line above: the lines are entries by themselves
		}
		l = bytes.LastIndexByte(data[floor:l-1], '\n') + 1 + floor
	}
}

// LineStart returns the start of the line that holds offset i.
func LineStart(data []byte, i int) int { return bytes.LastIndexByte(data[:i], '\n') + 1 }

// lineEnd returns the offset just past the line feed that ends the line at pos.
func lineEnd(data []byte, pos int) int {
	if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(data)
}

// lineEndNoLF returns the offset of the line feed that ends the line at pos, or len(data).
func lineEndNoLF(data []byte, pos int) int {
	if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(data)
}

// TrimEOL removes the line terminator (LF or CRLF) that ends an entry's bytes.
func TrimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		return trimCR(b)
	}
	return b
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}
