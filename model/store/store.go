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
	names   symbols       // nodes and modules: few, so their postings are slices indexed by Sym
	idSyms  symbols       // correlation ids: many
	levels  [256]Postings // by uint8(level)
	admin   Postings
	nodes   []Postings
	modules []Postings
	ids     [model.NumIDKinds]map[Sym]Postings
}

// New returns an empty Store.
func New() *Store {
	s := &Store{}
	for k := range s.ids {
		s.ids[k] = map[Sym]Postings{}
	}
	s.names.intern(nil) // Sym 0 is the empty string: "none"
	s.idSyms.intern(nil)
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

// Append adds a batch of entries and indexes them. It is the only writer. The batch's
// strings were made unique as it was built, so this critical section interns each name
// and id once per batch rather than once per entry.
func (s *Store) Append(b *Batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]Sym, len(b.strs))
	for i, isName := range b.isName {
		if isName {
			names[i] = s.names.intern(b.str(uint32(i)))
		}
	}
	first := uint32(s.n)
	for i := range b.entries {
		e := b.entries[i]
		e.Node, e.Module = names[e.Node], names[e.Module]
		id := uint32(s.n)
		s.put(e)
		s.levels[uint8(e.Level)].add(id)
		if e.Flags&Admin != 0 {
			s.admin.add(id)
		}
		if e.Node != 0 {
			s.nodes = grow(s.nodes, e.Node)
			s.nodes[e.Node].add(id)
		}
		if e.Module != 0 {
			s.modules = grow(s.modules, e.Module)
			s.modules[e.Module].add(id)
		}
	}
	for _, ref := range b.ids {
		m := s.ids[ref.kind]
		sym := s.idSyms.intern(b.str(ref.str))
		p := m[sym] // by value: most lists (a call's ids) are short, and a pointer each would cost more than their data
		p.add(first + ref.entry)
		m[sym] = p
	}
}

// grow extends p so that p[sym] exists.
func grow(p []Postings, sym Sym) []Postings {
	for int(sym) >= len(p) {
		p = append(p, Postings{})
	}
	return p
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

// Len returns the number of entries in the store.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// AtLevel returns the entries at exactly level l.
func (s *Store) AtLevel(l model.Level) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.levels[uint8(l)].snapshot()
}

// Admin returns the entries of the administrator log.
func (s *Store) Admin() Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.admin.snapshot()
}

// ByNode returns the entries logged by node.
func (s *Store) ByNode(node string) Postings { return s.byName(&s.nodes, node) }

// ByModule returns the entries logged by module.
func (s *Store) ByModule(module string) Postings { return s.byName(&s.modules, module) }

func (s *Store) byName(p *[]Postings, name string) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sym, ok := s.names.ids[name]; ok && int(sym) < len(*p) {
		return (*p)[sym].snapshot()
	}
	return Postings{}
}

// ByID returns the entries that carry the correlation id of kind k.
func (s *Store) ByID(k model.IDKind, id string) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sym, ok := s.idSyms.ids[id]; ok {
		return s.ids[k][sym].snapshot()
	}
	return Postings{}
}

// Name returns the node or module name of an entry's Node or Module symbol.
func (s *Store) Name(sym Sym) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.names.strings[sym]
}

// Nodes returns the names of the nodes seen so far.
func (s *Store) Nodes() []string { return s.namesWith(&s.nodes) }

// Modules returns the modules seen so far.
func (s *Store) Modules() []string { return s.namesWith(&s.modules) }

func (s *Store) namesWith(p *[]Postings) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for sym, postings := range *p {
		if postings.Len() > 0 {
			out = append(out, s.names.strings[sym])
		}
	}
	return out
}

// IDs returns the correlation ids of kind k seen so far.
func (s *Store) IDs(k model.IDKind) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.ids[k]))
	for sym := range s.ids[k] {
		out = append(out, s.idSyms.strings[sym])
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
