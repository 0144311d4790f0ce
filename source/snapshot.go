package source

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// SnapshotLog is one log file found in a diagnostic snapshot.
type SnapshotLog struct {
	Path string // where to read it (inside an unpacked archive, a temporary copy)
	Name string // its path inside the snapshot, for messages
	Node string // the node folder it was found in, or "" at the top
	Kind string // support, administrator or developer
}

// logName matches the logs a Pexip snapshot holds, current and rotated:
// support.log, unified_support.log.1, administrator.log.2.gz, developer.log...
var logName = regexp.MustCompile(`^(?:[a-z]+_)?(support|administrator|developer)(?:[._-][a-z0-9_-]+)*\.log(?:\.\d+)?(?:\.gz)?$`)

// folders that are part of a node's file layout rather than its name.
var layoutFolders = map[string]bool{"var": true, "log": true, "logs": true, "opt": true, "pexip": true, "tmp": true, "data": true, "diagnostics": true, "snapshot": true}

// IsSnapshot reports whether path names a directory or a .tar.gz/.tgz archive, which
// calltail reads as a diagnostic snapshot.
func IsSnapshot(path string) bool {
	if strings.HasSuffix(path, ".tar.gz") || strings.HasSuffix(path, ".tgz") {
		return true
	}
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// Snapshot finds the support, administrator and developer logs of a Pexip diagnostic
// snapshot — a directory, or a .tar.gz/.tgz archive, which is unpacked into a temporary
// directory that cleanup removes. Logs are labelled with the node folder they are in.
// The administrator log is the administrator part of the support log, so a folder's
// administrator logs are skipped when it has support logs: each entry is read once.
func Snapshot(path string) (logs []SnapshotLog, cleanup func(), err error) {
	cleanup = func() {}
	root := path
	if info, serr := os.Stat(path); serr != nil {
		return nil, cleanup, describe(path, serr)
	} else if !info.IsDir() {
		dir, uerr := TempDir("snapshot")
		if uerr != nil {
			return nil, cleanup, uerr
		}
		cleanup = func() { os.RemoveAll(dir) }
		if uerr := unpackLogs(path, dir); uerr != nil {
			cleanup()
			return nil, func() {}, uerr
		}
		root = dir
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, werr error) error {
		if werr != nil {
			return werr
		}
		if d.Type().IsRegular() {
			if m := logName.FindStringSubmatch(d.Name()); m != nil {
				rel, _ := filepath.Rel(root, p)
				logs = append(logs, SnapshotLog{Path: p, Name: filepath.Join(path, rel), Node: nodeOf(rel), Kind: m[1]})
			}
		}
		return nil
	})
	if err != nil {
		cleanup()
		return nil, func() {}, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	logs = withoutCoveredAdminLogs(logs)
	if len(logs) == 0 {
		cleanup()
		return nil, func() {}, fmt.Errorf("%s holds no support, administrator or developer log: is it a Pexip diagnostic snapshot?", path)
	}
	sort.Slice(logs, func(i, j int) bool { return logs[i].Name < logs[j].Name })
	return logs, cleanup, nil
}

// tempKinds are the kinds of TempDir's directories.
var tempKinds = []string{"snapshot", "demo"}

// TempDir makes a temporary directory, calltail-KIND-PID-*, for this process: an archive
// unpacked, the demo's logs. Its remover may be killed before it removes it, so the
// directory is named for the process, and RemoveTempDirs or SweepTempDirs removes it then.
func TempDir(kind string) (string, error) {
	return os.MkdirTemp("", fmt.Sprintf("calltail-%s-%d-", kind, os.Getpid()))
}

// RemoveTempDirs removes the temporary directories that the process pid made with
// TempDir: it has ended without removing them.
func RemoveTempDirs(pid int) { removeTempDirs(func(p int) bool { return p == pid }) }

// SweepTempDirs removes the temporary directories made by processes that have ended.
func SweepTempDirs() { removeTempDirs(func(pid int) bool { return !running(pid) }) }

func removeTempDirs(whose func(pid int) bool) {
	for _, kind := range tempKinds {
		prefix := "calltail-" + kind + "-"
		dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*-*"))
		for _, dir := range dirs {
			pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), prefix), "-")
			n, err := strconv.Atoi(pid)
			if info, lerr := os.Lstat(dir); err == nil && lerr == nil && info.IsDir() && whose(n) {
				os.RemoveAll(dir)
			}
		}
	}
}

// running reports whether the process pid may still run.
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// nodeOf names the node of a log from the folders above it: the first one that is not
// part of the usual file layout (var/log...).
func nodeOf(rel string) string {
	for _, part := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
		if part != "." && !layoutFolders[strings.ToLower(part)] {
			return part
		}
	}
	return ""
}

func withoutCoveredAdminLogs(logs []SnapshotLog) []SnapshotLog {
	hasSupport := map[string]bool{}
	for _, l := range logs {
		if l.Kind == "support" {
			hasSupport[filepath.Dir(l.Path)] = true
		}
	}
	kept := logs[:0]
	for _, l := range logs {
		if l.Kind != "administrator" || !hasSupport[filepath.Dir(l.Path)] {
			kept = append(kept, l)
		}
	}
	return kept
}

// unpackLogs extracts the log files of a .tar.gz archive into dir.
func unpackLogs(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return describe(archive, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: not a gzip-compressed tar archive: %v", archive, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: corrupt archive: %v", archive, err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if h.Typeflag != tar.TypeReg || !logName.MatchString(filepath.Base(name)) {
			continue
		}
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			continue // a path that would escape the directory
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: unpack %s: %v", archive, h.Name, err)
		}
	}
}
