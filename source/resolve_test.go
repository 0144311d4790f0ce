package source

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResolve resolves the plans of every mode — read once, read once to be read back,
// live, live to be read back — over plain, compressed and snapshot inputs and standard
// input, and checks what each gives or the error it says.
func TestResolve(t *testing.T) {
	dir := t.TempDir()
	text := "2026-05-14 10:00:00,000 Level=\"INFO\" Name=\"support.sip\" Message=\"x\"\n"
	plain, zipped, snap := filepath.Join(dir, "support.log"), filepath.Join(dir, "support.log.1.gz"), filepath.Join(dir, "snap")
	must(t, os.WriteFile(plain, []byte(text), 0o644))
	must(t, os.WriteFile(zipped, []byte(gz(text)), 0o644))
	writeSnapshot(t, snap)
	spool := filepath.Join(dir, "spool.log")
	pipe := func() io.Reader { return strings.NewReader(text) }

	for _, tc := range []struct {
		name             string
		plan             Plan
		live, once, file int
		err              string
	}{
		{"once", Plan{Paths: []string{plain, zipped, snap}}, 0, 1 + 1 + 4, 0, ""}, // the snapshot: 5 logs, 4 of them current,
		{"once read back", Plan{Paths: []string{zipped, "-"}, Stdin: pipe(), ReadBack: true}, 0, 2, 0, ""},
		{"once refuses syslog", Plan{Paths: []string{plain}, Syslog: []string{"udp://127.0.0.1:0"}}, 0, 0, 0, "cannot be read to an end"},
		{"live", Plan{Paths: []string{plain, "-"}, Stdin: pipe(), Live: true, Follow: true}, 2, 0, 1, ""},
		{"live refuses compressed", Plan{Paths: []string{zipped}, Live: true, Follow: true}, 0, 0, 0, "is compressed: it cannot be followed"},
		{"live refuses snapshots", Plan{Paths: []string{snap}, Live: true, Follow: true}, 0, 0, 0, "is a snapshot: it cannot be followed"},
		{"live read back", Plan{Paths: []string{plain, zipped, snap}, Live: true, ReadBack: true, Spool: spool,
			Syslog: []string{"udp://127.0.0.1:0"}}, 1 + 1, 1 + 4, 1, ""}, // compressed files and snapshots are read once,
		{"stdin twice", Plan{Paths: []string{"-", "-"}, Stdin: pipe()}, 0, 0, 0, "given twice"},
		{"missing file", Plan{Paths: []string{filepath.Join(dir, "nope.log")}}, 0, 0, 0, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := Resolve(tc.plan)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one that says %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			if len(in.Live) != tc.live || len(in.Once) != tc.once || len(in.Files) != tc.file {
				t.Fatalf("%d live, %d once, %d files; want %d, %d, %d", len(in.Live), len(in.Once), len(in.Files), tc.live, tc.once, tc.file)
			}
			for _, s := range in.Once {
				got, err := io.ReadAll(s.R)
				if err != nil || !strings.Contains(string(got), "Level=") {
					t.Fatalf("%s reads %q, %v", s.Name, got, err)
				}
				if tc.plan.ReadBack {
					back := make([]byte, len(got))
					if _, err := s.Text.ReadAt(back, 0); err != nil || string(back) != string(got) {
						t.Errorf("%s reads back %q, %v", s.Name, back, err)
					}
				}
			}
		})
	}
}

// TestResolveNoInput says what to give when there is nothing to read.
func TestResolveNoInput(t *testing.T) {
	tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0) // a terminal's master side
	if err != nil {
		t.Skip("no pseudo-terminal to stand for standard input:", err)
	}
	defer tty.Close()
	if _, err := Resolve(Plan{Stdin: tty}); !errors.Is(err, ErrNoInput) {
		t.Errorf("no paths and a terminal: %v, want ErrNoInput", err)
	}
	if _, err := Resolve(Plan{Paths: []string{"-"}, Stdin: tty}); err == nil || !strings.Contains(err.Error(), "which is a terminal") {
		t.Errorf("- and a terminal: %v", err)
	}
}
