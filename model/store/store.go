// Package store keeps what calltail knows about every entry it has read: compact metadata
// (offsets, times, interned names) and indexes by level, administrator log, node, module and
// correlation id. It holds no copy of the text: an entry's raw bytes are read back from its
// origin (the log file, or for stdin and syslog a spool file) when needed.
//
// A Store is append-only with one writer and many concurrent readers. Entries, once
// appended, never change, so a reader can hold a View and read entries below its length
// without locks while the writer goes on appending.
//
// A store given a limit (SetMaxEntries) lets its oldest entries go, whole blocks at a
// time, once it holds more: entry numbers stay as they were, and the entries from First()
// on are held. The text of the entries let go stays in their origin.
package store

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/calltail/calltail/model"
)

// Origin is where entries' text is read back from: a log file, a spool, a temporary copy.
type Origin struct {
	Name string      // the path as given, or a description ("stdin spool")
	Text io.ReaderAt // the text; offsets of its entries point into it
	Node string      // the node that logged the text, for entries that name none ("" if unknown)
}

// Releaser is an Origin's Text that can be told it is needed no more: the store says so
// when it has let go of every entry of an origin that a newer one of the same name
// followed (a file rotated away), so that its file can be closed.
type Releaser interface{ Release() }

const blockSize = 1 << 16 // entries per block; blocks never move, so readers need no lock

// Store is the index of every entry read so far.
type Store struct {
	mu       sync.RWMutex
	blocks   [][]Entry // nil for the blocks let go
	n        int
	floor    int               // the first entry held
	max      int               // the entries to hold at least, and about at most; 0 for all
	idsFloor int               // the floor when the id index last let its postings below it go
	longLens map[uint32]uint32 // lengths of entries of 16 MiB or more (kept when let go: views taken before read them)
	origins  []Origin
	lastOf   []int         // by origin: the number of its last entry, or -1
	released []bool        // by origin: its Text was released (see Releaser)
	names    names         // nodes and modules: few, so their postings are slices indexed by Name
	levels   [256]Postings // by uint8(level)
	admin    Postings
	nodes    []Postings
	modules  []Postings
	ids      *idIndex
	observer Observer
	batches  sync.Pool // of *Batch given back (Recycle), for NewBatch
}

// Observer follows what is appended to a store, to keep indexes of its own (the calls).
type Observer interface {
	// Extract runs on the indexing goroutines with each parsed entry; what it returns
	// (nil for most entries) comes back to Observe with the entry.
	Extract(r *model.Record) any
	// Observe runs once per appended batch, in order, on the writer's goroutine after the
	// store has taken the batch in: the writer waits for it, readers do not. It must not
	// keep b's slices: the batch's memory is reused (Recycle).
	Observe(b Appended)
}

// Appended is a batch as the store indexed it.
type Appended struct {
	First   uint32    // the number of the batch's first entry
	Floor   uint32    // the store's first entry held (see SetMaxEntries); it only grows
	Compact bool      // the store let enough go that the Observer should call CompactIDs
	Entries []Entry   // the batch's entries
	Extras  []Extra   // what Extract returned, for the entries it returned something for
	IDs     []EntryID // the correlation ids the entries carry, in entry order
}

// Extra is what the Observer extracted from an entry.
type Extra struct {
	Entry uint32 // the entry's number (in a Batch, its index in the batch)
	Value any
}

// EntryID is a correlation id carried by an entry.
type EntryID struct {
	Entry uint32       // the entry's number
	Kind  model.IDKind // the id's kind
	ID    uint32       // the id's number in the store (see IDText)
}

// SetObserver makes o follow every batch appended from now on. Set it before loading.
func (s *Store) SetObserver(o Observer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer = o
}

// NewBatch returns an empty batch that collects what the observer extracts: one given
// back by Recycle, if there is one.
func (s *Store) NewBatch() *Batch {
	b, _ := s.batches.Get().(*Batch)
	if b == nil {
		b = &Batch{}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b.observer = nil
	if s.observer != nil {
		b.observer = s.observer.Extract
	}
	return b
}

// Recycle gives back a batch that was appended, or merged into another, and is not used
// again: NewBatch reuses its memory, so that a load does not allocate (and collect) every
// batch anew.
func (s *Store) Recycle(b *Batch) {
	b.reset()
	s.batches.Put(b)
}

// New returns an empty Store.
func New() *Store {
	s := &Store{ids: newIDIndex(), longLens: map[uint32]uint32{}}
	s.names.intern(nil) // Name 0 is the empty name: "none"
	return s
}

// AddOrigin registers where the text of the entries that will be appended with the
// returned origin index can be read.
func (s *Store) AddOrigin(src Origin) uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origins = append(s.origins, src)
	s.lastOf, s.released = append(s.lastOf, -1), append(s.released, false)
	return uint16(len(s.origins) - 1)
}

// Append adds a batch of entries and indexes them, then shows them to the observer. It
// is the only writer: one goroutine calls it, so the observer sees batches in order even
// though it runs after the store is unlocked. The batch's names were made unique as it
// was built, so the critical section interns each node and module name once per batch;
// each id is looked up in the id index's hash table.
func (s *Store) Append(b *Batch) {
	if appended, o := s.append(b); o != nil {
		o.Observe(appended)
	}
}

// append takes a batch in, and returns it as its observer, if any, is to see it.
func (s *Store) append(b *Batch) (Appended, Observer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]Name, len(b.names))
	for i, n := range b.names {
		names[i] = s.names.intern(b.arena[n.start:n.end])
	}
	first := uint32(s.n)
	for i := range b.entries {
		b.entries[i].Node, b.entries[i].Module = names[b.nodes[i]], names[b.modules[i]]
		e := b.entries[i]
		id := uint32(s.n)
		if e.shortLen() == longLen {
			s.longLens[id] = b.longLens[uint32(i)]
		}
		s.lastOf[e.Origin] = int(id)
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
	var ids []EntryID
	if s.observer != nil {
		ids = make([]EntryID, 0, len(b.ids))
	}
	for _, ref := range b.ids {
		n := s.ids.add(ref.kind, b.arena[ref.start:ref.end], first+ref.entry)
		if ids != nil {
			ids = append(ids, EntryID{Entry: first + ref.entry, Kind: ref.kind, ID: n})
		}
	}
	compact := s.letGo()
	if s.observer == nil {
		return Appended{}, nil
	}
	for i := range b.extras {
		b.extras[i].Entry += first
	}
	return Appended{First: first, Floor: uint32(s.floor), Compact: compact, Entries: b.entries, Extras: b.extras, IDs: ids}, s.observer
}

// IDText returns the kind and text of the correlation id numbered n.
func (s *Store) IDText(n uint32) (model.IDKind, string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	kind, text := s.ids.idText(n)
	return kind, string(text)
}

// Twin is the correlation id that has the text of another, under another kind.
type Twin struct {
	ID    uint32
	Kind  model.IDKind
	Found bool
}

// IDTwins returns, for each id number in ids, of kind a or b, the id of the other of the
// two kinds with the same text, if the store has one.
func (s *Store) IDTwins(ids []uint32, a, b model.IDKind) []Twin {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Twin, len(ids))
	for i, n := range ids {
		other := a
		if s.ids.kind(n) == a {
			other = b
		}
		out[i].ID, out[i].Found = s.ids.twin(n, other)
		out[i].Kind = other
	}
	return out
}

// AddID records that entry number entry, already appended, carries the correlation id
// (k, id) too: an id that no line carries whole, such as the SIP Call-ID of a message
// logged in fragments, is known once the fragments are put together. It returns the id's
// number, or false if the store holds no such entry (not appended yet, or let go).
func (s *Store) AddID(entry uint32, k model.IDKind, id []byte) (uint32, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if int(entry) < s.floor || int(entry) >= s.n || len(id) == 0 {
		return 0, false
	}
	return s.ids.addLate(k, id, entry), true
}

// IDNumber returns the number of a correlation id, and whether the store has seen it.
func (s *Store) IDNumber(k model.IDKind, id string) (uint32, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ids.number(k, id)
}

// PostingsOf returns the entries that carry the correlation id numbered n, in order.
func (s *Store) PostingsOf(n uint32) []uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ids.postingsOf(n)
}

// grow extends p so that p[name] exists.
func grow(p []Postings, name Name) []Postings {
	for int(name) >= len(p) {
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
	store   *Store
	blocks  [][]Entry
	n       int
	floor   int
	origins []Origin
	names   []string // node and module names, by Name: interned before the entries that use them
}

// View returns a snapshot of the store.
func (s *Store) View() View {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return View{store: s, blocks: s.blocks, n: s.n, floor: s.floor, origins: s.origins, names: s.names.strings}
}

// Label gives rec, parsed from the text of entry i, the node the store holds for the
// entry when the text names none: its origin's (a snapshot's node folder). Whoever reads
// an entry back and parses it labels it so.
func (v View) Label(i int, rec *model.Record) {
	if len(rec.Node) > 0 {
		return
	}
	if n := v.Entry(i).Node; n != 0 {
		rec.Node = []byte(v.names[n])
	}
}

// Len returns the number of entries in the view: the number after its last entry.
func (v View) Len() int { return v.n }

// First returns the number of the view's first entry: the entries before it were let go.
func (v View) First() int { return v.floor }

// Entry returns the i-th entry, 0 <= i < Len(). An entry let go (i < First()) reads as
// the zero Entry, of no length.
func (v View) Entry(i int) Entry {
	if i < v.floor {
		return Entry{}
	}
	return v.blocks[i/blockSize][i%blockSize]
}

// RawLen returns the length of entry i's raw bytes.
func (v View) RawLen(i int) int {
	e := v.Entry(i)
	if n := e.shortLen(); n != longLen {
		return int(n)
	}
	v.store.mu.RLock()
	defer v.store.mu.RUnlock()
	return int(v.store.longLens[uint32(i)])
}

// Raw appends the raw bytes of entry i to dst, reading them from its origin.
func (v View) Raw(dst []byte, i int) ([]byte, error) { return v.RawHead(dst, i, v.RawLen(i)) }

// RawHead appends at most the first n raw bytes of entry i to dst: a row on screen needs
// no more of a 50 MB line than its beginning.
func (v View) RawHead(dst []byte, i, n int) ([]byte, error) {
	if i < v.floor {
		return dst, fmt.Errorf("entry %d: %w", i, ErrLetGo)
	}
	e := v.Entry(i)
	start := len(dst)
	dst = append(dst, make([]byte, min(n, v.RawLen(i)))...)
	if _, err := v.ReadText(e.Origin, e.Offset(), dst[start:]); err != nil {
		return dst[:start], fmt.Errorf("read entry %d at offset %d: %w", i, e.Offset(), err)
	}
	return dst, nil
}

// ReadText reads the text of origin src at offset off into buf, as io.ReaderAt does.
func (v View) ReadText(src uint16, off int64, buf []byte) (int, error) {
	s := v.origins[src]
	if s.Text == nil {
		return 0, fmt.Errorf("the text of %s was not kept (it came through a pipe without a spool)", s.Name)
	}
	return s.Text.ReadAt(buf, off)
}

// ErrLetGo is the error of reading an entry the store has let go (see SetMaxEntries).
var ErrLetGo = errors.New("no longer held in memory (see --max-entries)")

// Len returns the number of entries in the store: the number after its last entry.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// AtLevel returns the entries at exactly level l.
func (s *Store) AtLevel(l model.Level) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.levels[uint8(l)].snapshot().from(uint32(s.floor))
}

// Admin returns the entries of the administrator log.
func (s *Store) Admin() Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.admin.snapshot().from(uint32(s.floor))
}

// ByNode returns the entries logged by node.
func (s *Store) ByNode(node string) Postings { return s.byName(&s.nodes, node) }

// ByModule returns the entries logged by module.
func (s *Store) ByModule(module string) Postings { return s.byName(&s.modules, module) }

func (s *Store) byName(p *[]Postings, name string) Postings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if n, ok := s.names.ids[name]; ok && int(n) < len(*p) {
		return (*p)[n].snapshot().from(uint32(s.floor))
	}
	return Postings{}
}

// ByID returns the entries that carry the correlation id of kind k, in order.
func (s *Store) ByID(k model.IDKind, id string) []uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ids.postings(k, id)
}

// Name returns the text of an entry's Node or Module.
func (s *Store) Name(n Name) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.names.strings[n]
}

// Nodes returns the names of the nodes seen so far.
func (s *Store) Nodes() []string { return s.namesWith(&s.nodes) }

// Modules returns the modules seen so far.
func (s *Store) Modules() []string { return s.namesWith(&s.modules) }

func (s *Store) namesWith(p *[]Postings) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for n, postings := range *p {
		if postings.Len() > postings.First() {
			out = append(out, s.names.strings[n])
		}
	}
	return out
}

// IDs returns the correlation ids of kind k seen so far.
func (s *Store) IDs(k model.IDKind) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ids.ids(k)
}

// names interns node and module names.
type names struct {
	ids     map[string]Name
	strings []string
}

func (t *names) intern(b []byte) Name {
	if t.ids == nil {
		t.ids = map[string]Name{}
	}
	if n, ok := t.ids[string(b)]; ok {
		return n
	}
	if len(t.strings) >= int(maxName) {
		if len(t.strings) == int(maxName) {
			t.strings = append(t.strings, "(too many names)")
		}
		return maxName
	}
	n := Name(len(t.strings))
	str := string(b)
	t.ids[str] = n
	t.strings = append(t.strings, str)
	return n
}

// Around returns the numbers [first, last) of the entries logged between from and to
// (originating times), and a few more on each side: the log is in time order but for a
// few lines, which whoever asks checks one by one.
func (v View) Around(from, to int64) (first, last int) {
	const margin = 2048 // lines out of order, at most, looked past on each side
	at := func(t int64) int {
		return v.floor + sort.Search(v.n-v.floor, func(i int) bool { return v.Entry(v.floor+i).Time >= t })
	}
	return max(v.floor, at(from)-margin), min(v.n, at(to+1)+margin)
}

// NameOf returns a node or module name as the view knows it.
func (v View) NameOf(n Name) string { return v.names[n] }
