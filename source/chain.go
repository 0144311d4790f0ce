package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
)

// A snapshot holds each log of each node in generations — support.log.3.gz, support.log.2,
// support.log.1, support.log — that, read oldest first, are the log in time order. A
// chain is one such log: it is read as one input, a generation at a time, so that a
// snapshot of ten thousand files costs what its nodes' logs cost, not a descriptor and
// buffers per file.

// rotation is the generation number and compression at the end of a log's name.
var rotation = regexp.MustCompile(`(?:\.(\d+))?(?:\.gz)?$`)

// chains groups a snapshot's logs by node folder and log, each chain oldest first.
func chains(logs []SnapshotLog) [][]SnapshotLog {
	type gen struct {
		log SnapshotLog
		n   int // the generation: 0 for the current log, higher for older ones
	}
	byLog := map[string][]gen{}
	var order []string
	for _, l := range logs {
		base := filepath.Base(l.Path)
		m := rotation.FindStringSubmatchIndex(base)
		n, _ := strconv.Atoi(base[max(m[2], 0):max(m[3], 0)])
		key := filepath.Join(filepath.Dir(l.Path), base[:m[0]])
		if _, ok := byLog[key]; !ok {
			order = append(order, key)
		}
		byLog[key] = append(byLog[key], gen{l, n})
	}
	out := make([][]SnapshotLog, 0, len(order))
	for _, key := range order {
		gens := byLog[key]
		sort.SliceStable(gens, func(i, j int) bool { return gens[i].n > gens[j].n })
		chain := make([]SnapshotLog, len(gens))
		for i, g := range gens {
			chain[i] = g.log
		}
		out = append(out, chain)
	}
	return out
}

// chainReader reads the logs of a chain one after another, each opened only while it is
// read and decompressed if need be, with a line break after a log whose last line lacks
// one. With text set, it records where each log's text can be read back: the log itself,
// or for a compressed one a decompressed copy written as it is read.
type chainReader struct {
	logs     []SnapshotLog
	next     int     // the log to open when cur ends
	cur      *Stream // nil between logs
	copy     *os.File
	last     byte // the last byte delivered, 0 before any
	text     *chainText
	copies   *copyDir      // where decompressed copies go (with text)
	consumed *atomic.Int64 // bytes of the logs' files read so far
}

func (c *chainReader) Read(p []byte) (int, error) {
	for {
		if c.cur == nil {
			if c.next == len(c.logs) {
				return 0, io.EOF
			}
			if c.last != '\n' && c.last != 0 && len(p) > 0 { // the log before ended without one
				c.last = '\n'
				c.text.addLineBreak()
				p[0] = '\n'
				return 1, nil
			}
			if err := c.open(); err != nil {
				return 0, err
			}
		}
		n, err := c.cur.Read(p)
		if n > 0 {
			c.last = p[n-1]
			if c.copy != nil {
				if _, werr := c.copy.Write(p[:n]); werr != nil {
					return 0, werr
				}
			}
			c.text.grow(int64(n))
		}
		if errors.Is(err, io.EOF) {
			err = c.closeLog()
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// open opens the next log, and the decompressed copy of it to read back from if need be.
func (c *chainReader) open() error {
	l := c.logs[c.next]
	c.next++
	s, err := openCounted(l.Path, nil, c.consumed)
	if err != nil {
		return err
	}
	c.cur = s
	if c.text == nil {
		return nil
	}
	path := l.Path
	if s.Compressed() {
		dir, err := c.copies.get()
		if err != nil {
			return err
		}
		if c.copy, err = os.CreateTemp(dir, "log-"); err != nil {
			return err
		}
		path = c.copy.Name()
	}
	c.text.addLog(path)
	return nil
}

// closeLog closes the log read to its end.
func (c *chainReader) closeLog() error {
	err := c.cur.Close()
	c.cur = nil
	if c.copy != nil {
		if cerr := c.copy.Close(); err == nil {
			err = cerr
		}
		c.copy = nil
	}
	return err
}

// copyDir is a temporary directory made when first needed, for the decompressed copies
// of a snapshot's compressed logs.
type copyDir struct {
	mu   sync.Mutex
	path string
}

func (d *copyDir) get() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.path == "" {
		path, err := TempDir("snapshot")
		if err != nil {
			return "", err
		}
		d.path = path
	}
	return d.path, nil
}

func (d *copyDir) remove() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.path == "" {
		return nil
	}
	return os.RemoveAll(d.path)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n != nil {
		c.n.Add(int64(n))
	}
	return n, err
}

// chainText reads a chain's text back: each log's part from its file, opened for the read
// through readBackFiles, so that no descriptor is held per log.
type chainText struct {
	mu    sync.RWMutex
	parts []textPart // in order of start
	size  int64
}

// textPart is where a stretch of a chain's text is: the file at path from its start, or
// a line break added between two logs (path "").
type textPart struct {
	start, size int64
	path        string
}

func (t *chainText) addLog(path string) {
	t.mu.Lock()
	t.parts = append(t.parts, textPart{start: t.size, path: path})
	t.mu.Unlock()
}

func (t *chainText) addLineBreak() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.parts = append(t.parts, textPart{start: t.size, size: 1})
	t.size++
	t.mu.Unlock()
}

func (t *chainText) grow(n int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.parts[len(t.parts)-1].size += n
	t.size += n
	t.mu.Unlock()
}

// ReadAt reads the chain's text at off, across logs if need be.
func (t *chainText) ReadAt(p []byte, off int64) (int, error) {
	t.mu.RLock()
	parts := t.parts
	t.mu.RUnlock()
	i := sort.Search(len(parts), func(i int) bool { return parts[i].start+parts[i].size > off })
	done := 0
	for ; done < len(p) && i < len(parts); i++ {
		part := parts[i]
		at := off + int64(done) - part.start
		want := p[done:min(len(p), done+int(part.size-at))]
		if part.path == "" {
			want[0] = '\n'
			done++
			continue
		}
		n, err := readBackFiles.readAt(part.path, want, at)
		done += n
		if err != nil && !(errors.Is(err, io.EOF) && n == len(want)) {
			return done, err
		}
	}
	if done < len(p) {
		return done, io.EOF
	}
	return done, nil
}

// readBackFiles keeps a few files open for reading back, the least recently read closed first.
var readBackFiles = &fileCache{max: 32, files: map[string]*cachedFile{}}

// fileCache keeps at most max files open.
type fileCache struct {
	mu    sync.Mutex
	max   int
	files map[string]*cachedFile
	clock uint64
}

type cachedFile struct {
	f     *os.File
	users int    // reads under way
	used  uint64 // when it was last read
}

// readAt reads the file at path at off, opening it if it is not open.
func (c *fileCache) readAt(path string, p []byte, off int64) (int, error) {
	cf, err := c.acquire(path)
	if err != nil {
		return 0, err
	}
	defer c.release(cf)
	return cf.f.ReadAt(p, off)
}

func (c *fileCache) acquire(path string) (*cachedFile, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clock++
	if cf, ok := c.files[path]; ok {
		cf.users++
		cf.used = c.clock
		return cf, nil
	}
	if len(c.files) >= c.max {
		c.closeOldest()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	cf := &cachedFile{f: f, users: 1, used: c.clock}
	c.files[path] = cf
	return cf, nil
}

func (c *fileCache) release(cf *cachedFile) {
	c.mu.Lock()
	cf.users--
	c.mu.Unlock()
}

// closeOldest closes the least recently read file that no read is using.
func (c *fileCache) closeOldest() {
	var oldest string
	for path, cf := range c.files {
		if cf.users == 0 && (oldest == "" || cf.used < c.files[oldest].used) {
			oldest = path
		}
	}
	if oldest != "" {
		c.files[oldest].f.Close()
		delete(c.files, oldest)
	}
}
