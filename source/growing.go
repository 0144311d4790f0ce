package source

import (
	"bytes"
	"io"
	"time"
)

// growingText reads a file that others append to, and sends what was appended as whole
// lines: the file followers and the spool followers share it.
//
// A last line without its line feed is held, for as long as it takes, until the rest of
// it arrives: a writer that buffers may write a line in two parts seconds or minutes
// apart, and the line is still one line — one entry downstream, never an entry and an
// orphan. Its owner sends it as it is (flushPartial) when the text has ended: a rotated
// file that stopped growing, a file read once, a spool whose writer stopped. Only a line
// longer than maxLine is sent before its end, cut.
type growingText struct {
	r       io.ReaderAt
	gen     *Generation
	pos     int64     // how far the text has been read
	partial []byte    // the bytes after the last newline read
	grew    time.Time // when a read last found new text
	mark    []byte    // the last bytes read, to notice the text being replaced under us
	head    []byte    // the first bytes of the text (up to headLen), to recognise it elsewhere
}

// markLen is how many of the last bytes read are kept to compare.
const markLen = 64

// readSize is how much is read at a time: large, so that a file's existing text is
// delivered in few chunks.
const readSize = 1 << 20

// maxLine is how long a line without a line feed grows before it is sent cut.
const maxLine = 16 << 20

// headLen is how many of a text's first bytes are kept to recognise the text in another
// file: the copy that copytruncate made of it, or a rotated generation already read.
const headLen = 4 << 10

// readLines sends the whole lines appended since the last call, in chunks. A partial
// line grows in place and only the bytes just read are searched for a line end, so that
// a line of many megabytes costs linear time.
func (g *growingText) readLines(send func(Chunk) error) error {
	for {
		held := len(g.partial)
		if cap(g.partial)-held < readSize {
			g.partial = append(make([]byte, 0, held+max(held, readSize)), g.partial...)
		}
		buf := g.partial[:held+readSize]
		n, err := g.r.ReadAt(buf[held:], g.pos)
		if n == 0 {
			if err != nil && err != io.EOF {
				return err
			}
			return nil // a partial last line waits for its end, however long (see growingText)
		}
		start := g.pos - int64(held)
		if h := int64(len(g.head)); g.pos < h {
			// Recognised by its first bytes before they were read (see recognise): text that
			// does not begin with them was put in its place since, and is not this text.
			if k := min(int64(n), h-g.pos); !bytes.Equal(buf[held:held+int(k)], g.head[g.pos:g.pos+k]) {
				return nil // the next look sees it replaced (see unchanged)
			}
		}
		if h := int64(len(g.head)); h < headLen && g.pos <= h && h < g.pos+int64(n) {
			g.head = append(g.head, buf[held+int(h-g.pos):held+int(min(int64(n), headLen-g.pos))]...)
		}
		buf = buf[:held+n]
		g.pos += int64(n)
		g.grew = time.Now()
		g.mark = append(g.mark[:0], buf[max(0, len(buf)-markLen):]...)
		end := bytes.LastIndexByte(buf[held:], '\n') + 1
		if end > 0 {
			end += held
		} else if len(buf) >= maxLine {
			end = len(buf) // a line this long is cut, as the entry splitter (model/split) cuts it in a file
		}
		if end == 0 {
			g.partial = buf
		} else {
			g.partial = append([]byte(nil), buf[end:]...)
			if err := send(Chunk{Gen: g.gen, Offset: start, Data: buf[:end:end]}); err != nil {
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

// dropPartial forgets the held partial line, whose end was cut away, and says how long it was.
func (g *growingText) dropPartial() int {
	n := len(g.partial)
	g.partial = nil
	return n
}

// continuesIn reports whether a file of size bytes that begins with head (its first
// headLen bytes, or all of them) holds the text read so far and more: the same first
// bytes (as many as both have: a text recognised before it was read may be known by more
// than its copy holds), the same bytes just before where the text was read up to, and
// bytes after them.
func (g *growingText) continuesIn(r io.ReaderAt, head []byte, size int64) bool {
	if size <= g.pos || !samePrefix(head, g.head) {
		return false
	}
	buf := make([]byte, len(g.mark))
	n, _ := r.ReadAt(buf, g.pos-int64(len(g.mark)))
	return n == len(buf) && bytes.Equal(buf, g.mark)
}

// samePrefix reports whether two texts begin alike: the shorter of a and b is the start
// of the other, and neither is empty.
func samePrefix(a, b []byte) bool {
	n := min(len(a), len(b))
	return n > 0 && bytes.Equal(a[:n], b[:n])
}

// unchanged reports whether the file still holds the text that was read: its first bytes
// (before any was read, those it was recognised by: see recognise) and, just before where
// it was read up to, the bytes read there. A file truncated and written again past that
// point does not. The bytes read last alone do not tell: lines may end alike, and a line of
// the new text may end where the old text was read up to.
func (g *growingText) unchanged() bool {
	return (len(g.head) == 0 || g.holds(0, g.head)) &&
		(len(g.mark) == 0 || g.holds(g.pos-int64(len(g.mark)), g.mark))
}

// holds reports whether the text holds want at off.
func (g *growingText) holds(off int64, want []byte) bool {
	buf := make([]byte, len(want))
	n, err := g.r.ReadAt(buf, off)
	if n < len(buf) && err != nil && err != io.EOF {
		return true // a read error is not a truncation: the next check tries again
	}
	return n == len(buf) && bytes.Equal(buf, want)
}

// unseen reports whether nothing of the text has been read, nor recognised: then nothing
// tells it from another text put in its place (see tail.copiedAway).
func (g *growingText) unseen() bool { return g.pos == 0 && len(g.head) == 0 }

// recognise says which text is to be read, before any of it is: the one that begins with
// head, the first bytes seen at the path. Text put in its place since is not read as its
// continuation; the next look finds this one's copy by them (see continuesIn).
func (g *growingText) recognise(head []byte) {
	if g.unseen() {
		g.head = head
	}
}
