package export

import (
	"bufio"
	"fmt"
	"iter"
	"os"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// File writes entries of v, in the order ids gives them, to a new file at path as
// calltail -n prints them: their raw text with control characters made visible. It never
// overwrites a file. Entries let go since ids were read are skipped. It returns how many
// entries it wrote.
func File(path string, v store.View, ids iter.Seq[uint32]) (n int, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, fmt.Errorf("%v (choose another path)", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var raw, out []byte
	var rec model.Record
	for id := range ids {
		if int(id) < v.First() {
			continue // let go since the list was read
		}
		if raw, err = v.Raw(raw[:0], int(id)); err != nil {
			break
		}
		n++
		rec.Raw = raw
		out = Append(out[:0], &rec, Plain)
		if _, err = w.Write(out); err != nil {
			break
		}
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}
