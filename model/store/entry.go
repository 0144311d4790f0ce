package store

import "github.com/calltail/calltail/model"

// Name is an interned node or module name; 0 is "none".
type Name uint16

// maxName is the last Name: never a real name, it stands for all names beyond the first
// 65 534 distinct nodes and modules, and reads "(too many names)".
const maxName = Name(1<<16 - 1)

// Flags are per-entry facts.
type Flags uint8

// The entry flags.
const (
	Admin Flags = 1 << iota // the entry belongs to the administrator log
	Plain                   // the entry has no known shape
)

// Entry is the metadata of one entry: 24 bytes, whatever the length of its text.
type Entry struct {
	Time   int64       // originating time, microseconds since the epoch (0 if none)
	span   uint64      // offset (low 40 bits) and length (high 24 bits) of its raw bytes
	Origin uint16      // index of its origin
	Node   Name        // the system that logged it
	Module Name        // its module
	Level  model.Level // its severity
	Flags  Flags
}

const (
	offsetBits = 40
	maxOffset  = 1<<offsetBits - 1
	// longLen marks an entry of 16 MiB or more, whose length the store keeps aside.
	longLen = 1<<(64-offsetBits) - 1
)

// Offset returns where the entry's raw bytes start in its origin.
func (e Entry) Offset() int64 { return int64(e.span & maxOffset) }

func (e Entry) shortLen() uint32 { return uint32(e.span >> offsetBits) }

func pack(offset int64, length int) uint64 {
	return uint64(offset)&maxOffset | uint64(min(length, longLen))<<offsetBits
}
