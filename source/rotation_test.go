package source

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests drive one follower by hand: it looks at the file only when the test says
// so, as --poll does every 250 ms, and the test rotates the file between two looks the way
// logrotate does, with real renames, copies and truncations. What a look cannot see (text
// written and rotated away since the last one) must still be found on disk.

// stepper is a follower that checks its file only when told to.
type stepper struct {
	t     *testing.T
	tl    *tail
	out   chan Chunk
	lines []string
	notes []string
}

func newStepper(t *testing.T, path string) *stepper {
	t.Helper()
	opt := fast
	opt.Poll, opt.Interval = true, time.Hour // look only when told to
	ctx, cancel := context.WithCancel(context.Background())
	s := &stepper{t: t, out: make(chan Chunk, 10000)}
	s.tl = &tail{File: NewFile(path, opt), ctx: ctx, out: s.out, poke: make(chan struct{}, 1)}
	t.Cleanup(func() { cancel(); s.tl.close() })
	return s
}

// check looks at the file once and gathers what it sent.
func (s *stepper) check() {
	s.t.Helper()
	must(s.t, s.tl.check())
	for len(s.out) > 0 {
		c := <-s.out
		if c.Data == nil {
			s.notes = append(s.notes, c.State.String()+": "+c.Note)
			continue
		}
		for _, l := range strings.SplitAfter(string(c.Data), "\n") {
			if l != "" {
				s.lines = append(s.lines, strings.TrimSuffix(l, "\n"))
			}
		}
	}
}

// shift renames path.N to path.N+1, the highest first, as logrotate does before it makes
// a new path.1.
func shift(t *testing.T, path string) {
	t.Helper()
	must(t, shiftNames(path))
}

func shiftNames(path string) error {
	n := 1
	for exists(path + fmt.Sprintf(".%d", n)) {
		n++
	}
	for ; n > 1; n-- {
		if err := os.Rename(fmt.Sprintf("%s.%d", path, n-1), fmt.Sprintf("%s.%d", path, n)); err != nil {
			return err
		}
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// renameRotate is logrotate's "create": the file becomes path.1 and an empty path is made;
// the writer reopens it.
func renameRotate(t *testing.T, w *writer) {
	t.Helper()
	shift(t, w.path)
	must(t, os.Rename(w.path, w.path+".1"))
	must(t, os.WriteFile(w.path, nil, 0o644))
	w.reopen()
}

// copyTruncate is logrotate's "copytruncate": the file is copied to path.1, then truncated;
// the writer, which opened it with O_APPEND, writes on at its new end.
func copyTruncate(t *testing.T, path string) {
	t.Helper()
	shift(t, path)
	copyFile(t, path, path+".1")
	must(t, os.Truncate(path, 0))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	must(t, err)
	defer src.Close()
	dst, err := os.Create(to)
	must(t, err)
	_, err = io.Copy(dst, src)
	must(t, err)
	must(t, dst.Close())
}

// TestFollowCopytruncateReadsTheCopy: lines appended after the last look and before the
// copy are no longer in the file when the truncation is noticed; they are in path.1.
func TestFollowCopytruncateReadsTheCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	w.write(10) // not looked at before the rotation
	copyTruncate(t, path)
	w.write(5)
	s.check()
	checkSequence(t, s.lines, 25)
	if !strings.Contains(strings.Join(s.notes, "|"), "truncated") {
		t.Errorf("states %q: the truncation is not said", s.notes)
	}
}

// TestFollowCopytruncateCompletesTheHeldLine: the line being read when the file was copied
// and truncated is finished in the copy, and delivered whole.
func TestFollowCopytruncateCompletesTheHeldLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	s := newStepper(t, path)
	appendText(t, path, "line 0\nline 1 is ha")
	s.check()
	appendText(t, path, "lf\nline 2\n")
	copyTruncate(t, path)
	appendText(t, path, "line 3\n")
	s.check()
	if got, want := strings.Join(s.lines, "|"), "line 0|line 1 is half|line 2|line 3"; got != want {
		t.Errorf("lines %q, want %q", got, want)
	}
}

// TestFollowTruncationNeverTearsALine: a line whose end was truncated away (truncation in
// place, no copy) is not delivered as if it were whole.
func TestFollowTruncationNeverTearsALine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	s := newStepper(t, path)
	appendText(t, path, "line 0\nline 1\nline 2 is cu")
	s.check()
	appendText(t, path, "t in the middle\n") // the rest of it: gone with the truncation
	must(t, os.Truncate(path, 0))
	appendText(t, path, "line 3\n")
	s.check()
	if got, want := strings.Join(s.lines, "|"), "line 0|line 1|line 3"; got != want {
		t.Errorf("lines %q, want %q (a torn half line is not a line)", got, want)
	}
}

// TestFollowTwoRenamesBetweenLooks: the file is rotated twice between two looks; the middle
// generation, now path.1, is read too, in order.
func TestFollowTwoRenamesBetweenLooks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	w.write(5)
	renameRotate(t, w)
	w.write(10) // the middle generation
	renameRotate(t, w)
	w.write(10)
	s.check()
	checkSequence(t, s.lines, 35)
	s.check() // nothing twice
	checkSequence(t, s.lines, 35)
}

// TestFollowRotatedWhileWaiting: renamed without a new file made (logrotate's nocreate),
// so that the follower waits for the path; meanwhile the writer makes it, writes, and it is
// rotated again before the follower looks. That generation is path.1 now, and is read.
func TestFollowRotatedWhileWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	shift(t, path)
	must(t, os.Rename(path, path+".1"))
	s.check() // waiting
	w.reopen()
	w.write(10) // the generation the follower never sees at the path
	shift(t, path)
	must(t, os.Rename(path, path+".1"))
	w.reopen()
	w.write(10)
	s.check()
	checkSequence(t, s.lines, 30)
}

// TestFollowTwoCopytruncatesBetweenLooks: copied and truncated twice between two looks:
// the end of the generation that was being read is in path.2, the middle one in path.1.
func TestFollowTwoCopytruncatesBetweenLooks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	w.write(10)
	copyTruncate(t, path)
	w.write(10)
	copyTruncate(t, path)
	w.write(10)
	s.check()
	checkSequence(t, s.lines, 40)
}

// TestFollowCopyAlreadyReadIsNotReadAgain: the follower read past the point where the file
// was copied (lines written between the copy and the truncation): the copy holds nothing
// new, and is not taken for a missed generation.
func TestFollowCopyAlreadyReadIsNotReadAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	shift(t, path)
	copyFile(t, path, path+".1")
	w.write(5)
	s.check()
	must(t, os.Truncate(path, 0))
	w.write(5)
	s.check()
	w.write(5)
	copyTruncate(t, path) // path.2 now holds the copy above, path.1 this one
	w.write(5)
	s.check()
	checkSequence(t, s.lines, 30)
}

// TestFollowCopyOfTheCurrentTextIsNotAMissedGeneration: a copy being made of the text the
// follower now reads (the next rotation under way) is that text, not a missed generation.
func TestFollowCopyOfTheCurrentTextIsNotAMissedGeneration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	copyTruncate(t, path)
	w.write(10)
	shift(t, path)
	copyFile(t, path, path+".1") // the next copytruncate has copied, not yet truncated
	s.check()
	must(t, os.Truncate(path, 0))
	w.write(5)
	s.check()
	checkSequence(t, s.lines, 25)
}

// TestFollowOlderGenerationsAreNotRead: rotated files that were there before, or that were
// read already, are not read (again) when the file is rotated.
func TestFollowOlderGenerationsAreNotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	appendText(t, path+".1", "old 1\n")
	appendText(t, path+".2", "old 2\n")
	hourAgo := time.Now().Add(-time.Hour)
	must(t, os.Chtimes(path+".1", hourAgo, hourAgo))
	must(t, os.Chtimes(path+".2", hourAgo, hourAgo))
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	renameRotate(t, w)
	w.write(10)
	s.check()
	time.Sleep(2 * s.tl.opt.DrainIdle)
	w.write(1)
	s.check() // the first generation has been idle long enough: it is let go
	if len(s.tl.draining) != 0 {
		t.Fatalf("%d generations still draining", len(s.tl.draining))
	}
	now := time.Now()
	must(t, os.Chtimes(path+".1", now, now)) // touched: recent, but read already
	renameRotate(t, w)
	w.write(4)
	s.check()
	checkSequence(t, s.lines, 25)
}

// TestFollowCopytruncatedWhileEmptyBetweenLooks: the follower looked just after a
// copytruncate, before the writer wrote again, so that it has read nothing of the new
// generation; that one is then copied and truncated too before the next look. Its text is
// in path.1, and the file at the path holds the next one's: nothing the follower read tells
// them apart but what is on disk.
func TestFollowCopytruncatedWhileEmptyBetweenLooks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	w.write(10)
	copyTruncate(t, path)
	s.check() // the end of the first generation, from path.1; the file at the path is empty
	w.write(10)
	copyTruncate(t, path) // path.1 is the generation never seen, path.2 the first
	w.write(10)
	s.check()
	checkSequence(t, s.lines, 40)
	s.check() // nothing twice
	checkSequence(t, s.lines, 40)
}

// TestFollowCopytruncatedBetweenALookAndItsRead: the follower looks at a text it has read
// nothing of, then the file is copied and truncated and written again before it reads:
// what it reads then is the next text, not the continuation of the one it looked at, whose
// text is in path.1.
func TestFollowCopytruncatedBetweenALookAndItsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	w.write(10)
	s.check()
	w.write(10)
	copyTruncate(t, path)
	s.check() // the end of the first generation, from path.1; the file at the path is empty
	w.write(10)
	s.beforeRead(0, func() {
		copyTruncate(t, path)
		w.write(10)
	})
	s.check()
	s.check()
	checkSequence(t, s.lines, 40)
}

// TestFollowCopyMadeBeforeALookTruncatedBeforeItsRead: the file is copied, written to (the
// lines that only the file holds), looked at, and truncated before the look reads: the
// read finds nothing, and the copy, modified before the look, still holds what was not
// read. The next look reads it there.
func TestFollowCopyMadeBeforeALookTruncatedBeforeItsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	s := newStepper(t, path)
	base := time.Now().Add(-time.Hour) // distinct modification times, whatever the clock's grain
	w.write(10)
	must(t, os.Chtimes(path, base, base))
	s.check()
	w.write(10)
	shift(t, path)
	copyFile(t, path, path+".1")
	must(t, os.Chtimes(path+".1", base.Add(time.Second), base.Add(time.Second)))
	w.write(2) // copytruncate's window: in no file that outlives the rotation
	must(t, os.Chtimes(path, base.Add(2*time.Second), base.Add(2*time.Second)))
	s.beforeRead(s.tl.cur.pos, func() {
		must(t, os.Truncate(path, 0))
		w.write(5)
	})
	s.check() // reads nothing: the file was truncated under it
	s.check()
	var want []string
	for i := range 27 {
		if i != 20 && i != 21 {
			want = append(want, fmt.Sprintf("line %d", i))
		}
	}
	if got := strings.Join(s.lines, "|"); got != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", s.lines, want)
	}
}

// beforeRead runs f when the follower next reads its current text at off, between the look
// that decided what to read and the read.
func (s *stepper) beforeRead(off int64, f func()) {
	s.tl.cur.r = &interrupted{ReaderAt: s.tl.cur.r, off: off, f: f}
}

// interrupted is a text whose read at off is preceded, once, by f.
type interrupted struct {
	io.ReaderAt
	off int64
	f   func() // nil once run
}

func (r *interrupted) ReadAt(p []byte, off int64) (int, error) {
	if f := r.f; f != nil && off == r.off {
		r.f = nil
		f()
	}
	return r.ReaderAt.ReadAt(p, off)
}

// TestFollowCopytruncatedWhereLinesEndAlike: copied and truncated, then written past where
// the follower had read, with a line ending there as the last line read ended: the file
// holds another text all the same (its first bytes say so), and the rest of the old one is
// in path.1.
func TestFollowCopytruncatedWhereLinesEndAlike(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	line := func(s string) string { return s + " " + strings.Repeat(".", 70) + "\n" }
	s := newStepper(t, path)
	appendText(t, path, line("old 1")+line("old 2"))
	s.check()
	appendText(t, path, line("old 3"))
	copyTruncate(t, path)
	appendText(t, path, line("new 1")+line("new 2")+line("new 3")) // "new 2" ends where "old 2" did
	s.check()
	var got []string
	for _, l := range s.lines {
		got = append(got, strings.TrimRight(l, " ."))
	}
	if want := "old 1|old 2|old 3|new 1|new 2|new 3"; strings.Join(got, "|") != want {
		t.Errorf("lines %q, want %q", got, want)
	}
}
