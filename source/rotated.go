package source

// How a follower finds what rotation took away: the end of a truncated generation in its
// copy, and the generations that came and went between two looks in the rotated files
// beside the path.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// truncated starts a new generation on the same file, from its start. The text between
// where the old generation was read up to and the truncation is read from a copy, if one
// was made (copytruncate): a rotated file beside the path that begins with the same bytes
// and holds, where the old text was read up to, the bytes read last. Generations copied
// and truncated away between two looks are read from their copies too.
//
// copytruncate's inherent loss stays: lines written between the copy and the truncation
// are in no file. A line whose end was cut away (no copy holds it) is dropped rather than
// sent torn.
//
// The new generation is recognised by the first bytes at the path now, which decide which
// rotated files are missed generations: if the file is copied and truncated again before
// they are read, they are not taken for what follows (see growingText.recognise).
func (t *tail) truncated(info os.FileInfo, since time.Time) error {
	old := t.cur
	t.cur = &openFile{f: old.f, info: info}
	head := readHead(t.cur.f)
	sibs := t.rotatedFiles(since, info)
	defer closeSiblings(sibs)
	var from *sibling
	for _, s := range sibs {
		if old.continuesIn(s.f, s.head, s.info.Size()) && (from == nil || s.info.Size() > from.info.Size()) {
			from = s
		}
	}
	if old.unseen() {
		// Nothing of it was read (see copiedAway): its copy is the oldest that holds text no
		// generation began with, nor the file now.
		for _, s := range sibs {
			if !t.known(s.head, head) {
				from = s
				break
			}
		}
	}
	what := fmt.Sprintf("%s was truncated: following it from its start", t.path)
	if from != nil {
		// The copy holds the old text: read its end there, and read the old text back
		// from it from now on.
		old.f, old.r, from.f = from.f, from.f, nil
		old.text.moved.Store(old.f)
		if err := t.read(old); err != nil {
			old.f.Close()
			return err
		}
		what += fmt.Sprintf(" (its end read from %s; lines written between the copy and the truncation are lost)", filepath.Base(from.path))
	} else {
		old.text.gone(fmt.Sprintf("%s was truncated", t.path)) // the file holds other text now
		what += " (no copy of it found: what was written to it since the last look is lost)"
	}
	if n := old.dropPartial(); n > 0 {
		what += fmt.Sprintf("; a line cut by the truncation (%d bytes) was not shown", n)
	}
	t.retire(old, fmt.Sprintf("%s was truncated", t.path))
	// Truncated more than once since the last look: the generations in between are copies.
	var missed []string
	for _, s := range sibs {
		if s.f == nil || t.known(s.head, head) {
			continue
		}
		of := &openFile{f: s.f, info: s.info}
		s.f = nil
		t.newGeneration(of)
		if err := t.read(of); err != nil {
			of.f.Close()
			return err
		}
		of.dropPartial() // a copy's unfinished last line was finished in the file, then truncated
		t.retire(of, fmt.Sprintf("%s was truncated", t.path))
		missed = append(missed, filepath.Base(s.path))
	}
	if len(missed) > 0 {
		what += fmt.Sprintf("; read %s, truncated between two looks", strings.Join(missed, ", "))
	}
	t.newGeneration(t.cur)
	t.cur.recognise(head)
	return t.setState(Truncated, what)
}

// copiedAway reports whether the current generation, of which nothing was read (see
// growingText.unseen: the file was empty when looked at), was copied and truncated away
// since the last look: a rotated file modified since then holds text that no generation
// began with, and the file at the path (info) does not begin with it either. Nothing else
// tells that text from the next one's at the path. Otherwise, the current generation is
// recognised from now on by the first bytes at the path.
func (t *tail) copiedAway(since time.Time, info os.FileInfo) bool {
	head := readHead(t.cur.f)
	sibs := t.rotatedFiles(since, info)
	defer closeSiblings(sibs)
	for _, s := range sibs {
		if !t.known(s.head, head) {
			return true
		}
	}
	t.cur.recognise(head)
	return false
}

// readMissed reads the generations that were rotated away between two looks, from the
// rotated files beside the path that were modified since the last look (at or after
// since) and hold text none of the known generations (nor the file now at the path, at)
// began with. They are drained like the generation that was being read (a writer may
// still write to one). It returns the names of the files read.
func (t *tail) readMissed(since time.Time, at *os.File, atInfo os.FileInfo) ([]string, error) {
	sibs := t.rotatedFiles(since, atInfo)
	defer closeSiblings(sibs)
	var head []byte
	if at != nil {
		head = readHead(at)
	}
	var names []string
	for _, s := range sibs {
		if t.known(s.head, head) {
			continue
		}
		of := &openFile{f: s.f, info: s.info}
		s.f = nil
		t.newGeneration(of)
		if err := t.read(of); err != nil {
			of.f.Close()
			return names, err
		}
		names = append(names, filepath.Base(s.path))
		of.grew, of.rotatedAt = time.Now(), time.Now()
		t.draining = append(t.draining, of) // its writer may not have reopened the path yet
	}
	return names, nil
}

// sibling is a rotated file beside the followed path, opened.
type sibling struct {
	path string
	f    *os.File
	info os.FileInfo
	head []byte
}

// rotatedFiles opens the rotated files beside the path (see rotatedName) modified at or
// after since, that are not the file at the path (atInfo) nor a generation that is open,
// oldest first. Their names do not say which text they hold: their text does (see known
// and growingText.continuesIn).
func (t *tail) rotatedFiles(since time.Time, atInfo os.FileInfo) []*sibling {
	if since.IsZero() {
		return nil
	}
	dir, base := filepath.Split(t.path)
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return nil
	}
	var sibs []*sibling
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !rotatedName(name, base) {
			continue
		}
		p := filepath.Join(dir, name)
		info, err := os.Stat(p)
		if err != nil || info.Size() == 0 || info.ModTime().Before(since) ||
			atInfo != nil && os.SameFile(info, atInfo) || t.isOpen(info) {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if info, err = f.Stat(); err != nil {
			f.Close()
			continue
		}
		sibs = append(sibs, &sibling{path: p, f: f, info: info, head: readHead(f)})
	}
	slices.SortStableFunc(sibs, func(a, b *sibling) int {
		if c := a.info.ModTime().Compare(b.info.ModTime()); c != 0 {
			return c
		}
		return rotationOrder(a.path, b.path)
	})
	return sibs
}

// rotatedName reports whether name is that of a rotated generation of base, uncompressed:
// base, a '.', '-' or '_', then a digit (support.log.1, support.log-20260514,
// support.log.2026-05-14), as logrotate and daemons name them; not another log whose name
// starts alike (support.log-audit).
func rotatedName(name, base string) bool {
	rest, ok := strings.CutPrefix(name, base)
	return ok && len(rest) >= 2 && strings.ContainsRune(".-_", rune(rest[0])) && '0' <= rest[1] && rest[1] <= '9' && !compressed(rest)
}

// rotationOrder orders the names of rotated files written in the same clock tick, older
// first: path.2 before path.1, support.log-20260513 before support.log-20260514.
func rotationOrder(a, b string) int {
	na, errA := strconv.Atoi(filepath.Ext(a)[min(1, len(filepath.Ext(a))):])
	nb, errB := strconv.Atoi(filepath.Ext(b)[min(1, len(filepath.Ext(b))):])
	if errA == nil && errB == nil {
		return nb - na
	}
	return strings.Compare(a, b)
}

// compressed reports whether a rotated file's name says it is compressed: its text is not
// the log's bytes, and cannot be read back by offset.
func compressed(name string) bool {
	for _, ext := range []string{".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z", ".zip"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func closeSiblings(sibs []*sibling) {
	for _, s := range sibs {
		if s.f != nil {
			s.f.Close()
		}
	}
}

// isOpen reports whether info is the file of a generation still open.
func (t *tail) isOpen(info os.FileInfo) bool {
	for _, of := range append(append([]*openFile{t.cur}, t.draining...), t.closed...) {
		if of != nil && os.SameFile(info, of.info) {
			return true
		}
	}
	return false
}

// known reports whether a text that begins with head is, or begins like, one the follower
// has read (a generation open or let go, the file at the path now beginning with also):
// a rotated file that holds it is no missed generation.
func (t *tail) known(head, also []byte) bool {
	if samePrefix(head, also) {
		return true
	}
	for _, of := range append(append([]*openFile{t.cur}, t.draining...), t.closed...) {
		if of != nil && samePrefix(head, of.head) {
			return true
		}
	}
	for _, h := range t.past {
		if samePrefix(head, h) {
			return true
		}
	}
	return false
}

// readHead reads the first bytes of a file, to recognise its text.
func readHead(f *os.File) []byte {
	buf := make([]byte, headLen)
	n, _ := f.ReadAt(buf, 0)
	return buf[:n]
}
