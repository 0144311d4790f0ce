// Package store keeps what calltail knows about every entry it has read: compact metadata
// (offsets, times, interned names) and indexes by level, administrator log, node, module and
// correlation id. It holds no copy of the text: an entry's raw bytes are read back from its
// source (the log file, or for stdin and syslog a spool file) when needed.
//
// A Store is append-only with one writer and many concurrent readers. Entries, once
// appended, never change, so a reader can hold a View and read entries below its length
// without locks while the writer goes on appending.
package store

import (
	"fmt"
	"io"
	"sync"

	"github.com/calltail/calltail/model"
)

// Sym is an interned string: a node, a module or a correlation id.
type Sym uint32

// Flags are per-entry facts.
type Flags uint8

// The entry flags.
const (
	Admin Flags = 1 << iota // the entry belongs to the administrator log
	Plain                   // the entry has no known shape
)

// Entry is the metadata of one entry: 32 bytes, whatever the length of its text.
type Entry struct {
	Offset int64       // where its raw bytes start in its source
	Time   int64       // originating time, microseconds since the epoch (0 if none)
	Len    uint32      // length of its raw bytes
	Node   Sym         // the system that logged it (0 if none)
	Module Sym         // its module (0 if none)
	Source uint16      // index of its source
	Level  model.Level // its severity
	Flags  Flags
}

// Source is where entries' text is read back from.
type Source struct {
	Name string      // the path as given, or a description ("stdin spool")
	Text io.ReaderAt // the text; offsets of its entries point into it
}

const blockSize = 1 << 16 // entries per block; blocks never move, so readers need no lock

// Store is the index of every entry read so far.
type Store struct {
	mu      sync.RWMutex
	blocks  [][]Entry
	n       int
	sources []Source
	syms    symbols
	levels  map[model.Level]Postings
	admin   Postings
	nodes   map[Sym]Postings
	modules map[Sym]Postings
	ids     [model.NumIDKinds]map[Sym]Postings
}

// New returns an empty Store.
func New() *Store {
	s := &Store{
		levels:  map[model.Level]Postings{},
		nodes:   map[Sym]Postings{},
		modules: map[Sym]Postings{},
	}
	for k := range s.ids {
		s.ids[k] = map[Sym]Postings{}
	}
	s.syms.intern(nil) // Sym 0 is the empty string: "none"
	return s
}

// AddSource registers where the text of the entries that will be appended with the
// returned source index can be read.
func (s *Store) AddSource(src Source) uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sources = append(s.sources, src)
	return uint16(len(s.sources) - 1)
}

// Append adds a batch of entries and indexes them. It is the only writer.
func (s *Store) Append(b *Batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range b.entries {
		e := b.entries[i].Entry
		e.Node = s.syms.intern(b.span(b.entries[i].node))
		e.Module = s.syms.intern(b.span(b.entries[i].module))
		id := uint32(s.n)
		s.put(e)
		addPosting(s.levels, e.Level, id)
		if e.Flags&Admin != 0 {
			s.admin.add(id)
		}
		if e.Node != 0 {
			addPosting(s.nodes, e.Node, id)
		}
		if e.Module != 0 {
			addPosting(s.modules, e.Module, id)
		}
	}
	first := uint32(s.n - len(b.entries))
	for _, ref := range b.ids {
		addPosting(s.ids[ref.kind], s.syms.intern(b.span(ref.id)), first+ref.entry)
	}
}

// addPosting adds id to the postings of key in m. Postings are held by value: most lists
// (a call's ids) are short, and a pointer each would cost more than their data.
func addPosting[K comparable](m map[K]Postings, key K, id uint32) {
	p := m[key]
	p.add(id)
	m[key] = p
}

func (s *Store) put(e Entry) {
	if s.n%blockSize == 0 {
		s.blocks = append(s.blocks, make([]Entry, blockSize))
	}
	s.blocks[s.n/blockSize][s.n%blockSize] = e
	s.n++
}

// View is a consistent snapshot of the store: the entries appended before it was taken.
// It can be read from any goroutine without locks and stays valid as the store grows.
type View struct {
	blocks  [][]Entry
	n       int
	sources []Source
}

// View returns a snapshot of the store.
func (s *Store) View() View {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return View{blocks: s.blocks, n: s.n, sources: s.sources}
}

// Len returns the number of entries in the view.
func (v View) Len() int { return v.n }

// Entry returns the i-th entry, 0 <= i < Len().
func (v View) Entry(i int) Entry { return v.blocks[i/blockSize][i%blockSize] }

// Raw appends the raw bytes of entry i to dst, reading them from its source.
func (v View) Raw(dst []byte, i int) ([]byte, error) {
	e := v.Entry(i)
	src := v.sources[e.Source]
	start := len(dst)
	dst = append(dst, make([]byte, e.Len)...)
	if _, err := src.Text.ReadAt(dst[start:], e.Offset); err != nil {
		return dst[:start], fmt.Errorf("read entry %d from %s at offset %d: %w", i, src.Name, e.Offset, err)
	}
	return dst, nil
}

// Record reads entry i and parses it into r with p; r's slices point into buf's storage,
// which is returned for reuse.
func (v View) Record(i int, p model.Parser, buf []byte, r *model.Record) ([]byte, error) {
	buf, err := v.Raw(buf[:0], i)
	if err != nil {
		return buf, err
	}
	p.Parse(buf, r)
	return buf, nil
}

// Len returns the number of entries in the store.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// Name returns the string of an interned symbol.
func (s *Store) Name(sym Sym) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.syms.strings[sym]
}

// AtLevel returns the entries at exactly level l.
func (s *Store) AtLevel(l model.Level) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.levels[l].snapshot()
}

// Admin returns the entries of the administrator log.
func (s *Store) Admin() Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.admin.snapshot()
}

// ByNode returns the entries logged by node.
func (s *Store) ByNode(node string) Postings { return s.lookup(s.nodes, node) }

// ByModule returns the entries logged by module.
func (s *Store) ByModule(module string) Postings { return s.lookup(s.modules, module) }

// ByID returns the entries that carry the correlation id of kind k.
func (s *Store) ByID(k model.IDKind, id string) Postings { return s.lookup(s.ids[k], id) }

func (s *Store) lookup(m map[Sym]Postings, name string) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return m[s.syms.ids[name]].snapshot() // an unknown name is Sym 0, which has no postings
}

// Nodes returns the names of the nodes seen so far.
func (s *Store) Nodes() []string { return s.names(s.nodes) }

// Modules returns the modules seen so far.
func (s *Store) Modules() []string { return s.names(s.modules) }

// IDs returns the correlation ids of kind k seen so far.
func (s *Store) IDs(k model.IDKind) []string { return s.names(s.ids[k]) }

func (s *Store) names(m map[Sym]Postings) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(m))
	for sym := range m {
		out = append(out, s.syms.strings[sym])
	}
	return out
}

// symbols interns strings.
type symbols struct {
	ids     map[string]Sym
	strings []string
}

func (t *symbols) intern(b []byte) Sym {
	if t.ids == nil {
		t.ids = map[string]Sym{}
	}
	if sym, ok := t.ids[string(b)]; ok {
		return sym
	}
	sym := Sym(len(t.strings))
	str := string(b)
	t.ids[str] = sym
	t.strings = append(t.strings, str)
	return sym
}
