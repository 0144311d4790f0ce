package session

import (
	"bytes"
	"os"
	"sort"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// Preview returns the last entries of the files at paths — read straight from the end of
// each file, up to maxBytes of it — in time order, so that the UI can show the end of a
// large file at once while the store indexes it from the start. Paths that are not
// regular files are skipped.
func Preview(paths []string, maxBytes int64, newParser model.NewParserFunc) []model.Record {
	var out []model.Record
	p := newParser()
	for _, path := range paths {
		data := tail(path, maxBytes)
		if data == nil {
			continue
		}
		for _, raw := range split.Entries(data, p.StartsEntry) {
			var r model.Record
			p.Parse(raw, &r)
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time < out[j].Time })
	return out
}

// tail reads up to maxBytes from the end of a regular file, starting at an entry: after the
// first line break, and then at the first line that starts an entry is up to the caller.
func tail(path string, maxBytes int64) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() == 0 {
		return nil
	}
	start := max(0, info.Size()-maxBytes)
	buf := make([]byte, info.Size()-start)
	n, _ := f.ReadAt(buf, start)
	buf = buf[:n]
	if start > 0 { // the first line is probably cut: drop it
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			return nil
		}
		buf = buf[i+1:]
	}
	if end := bytes.LastIndexByte(buf, '\n'); end >= 0 {
		buf = buf[:end+1] // a partial last line is left to the follower
	}
	return buf
}
