package source

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSnapshot lays out a snapshot the way Pexip's has per-node folders, rotated and
// compressed logs, and an administrator log next to the support log it is part of.
func writeSnapshot(t *testing.T, dir string) map[string]string {
	files := map[string]string{
		"conf01/var/log/support.log":       "2026-05-14 10:00:03,000 Level=\"INFO\" Name=\"support.sip\" Message=\"c1 now\"\n",
		"conf01/var/log/support.log.1":     "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.sip\" Message=\"c1 before\"\n",
		"conf01/var/log/administrator.log": "2026-05-14 10:00:03,000 Level=\"INFO\" Name=\"administrator.x\" Message=\"covered by support\"\n",
		"conf02/var/log/support.log.2.gz":  gz("2026-05-14 10:00:02,000 Level=\"INFO\" Name=\"support.sip\" Message=\"c2 older\"\n"),
		"mgmt01/unified_administrator.log": "2026-05-14 10:00:04,000 Level=\"INFO\" Name=\"administrator.y\" Message=\"mgmt admin\"\n",
		"conf01/var/log/developer.log":     "2026-05-14 10:00:05,000 Level=\"DEBUG\" Name=\"developer.z\" Message=\"dev\"\n",
		"conf01/var/log/syslog":            "not a Pexip log\n",
		"README.txt":                       "snapshot\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return files
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func TestSnapshotDirectoryAndArchive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "snap")
	files := writeSnapshot(t, dir)
	archive := filepath.Join(t.TempDir(), "diagnostic_snapshot.tgz")
	writeTarGz(t, archive, files)

	for _, path := range []string{dir, archive} {
		logs, cleanup, err := Snapshot(path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range logs {
			got = append(got, l.Node+" "+l.Kind+" "+filepath.Base(l.Path))
			if _, err := os.Stat(l.Path); err != nil {
				t.Errorf("%s: %v", l.Name, err)
			}
		}
		want := "conf01 developer developer.log|conf01 support support.log|conf01 support support.log.1|" +
			"conf02 support support.log.2.gz|mgmt01 administrator unified_administrator.log"
		if strings.Join(got, "|") != want {
			t.Errorf("%s:\n got %s\nwant %s", filepath.Base(path), strings.Join(got, "|"), want)
		}
		cleanup()
		if path == archive {
			if _, err := os.Stat(filepath.Dir(logs[0].Path)); err == nil {
				t.Error("the unpacked archive was not removed")
			}
		}
	}
}

func TestSnapshotRejectsOtherDirectoriesAndEscapes(t *testing.T) {
	if _, _, err := Snapshot(t.TempDir()); err == nil || !strings.Contains(err.Error(), "is it a Pexip diagnostic snapshot") {
		t.Errorf("empty directory: %v", err)
	}
	archive := filepath.Join(t.TempDir(), "evil.tar.gz")
	writeTarGz(t, archive, map[string]string{"../../escaped/support.log": "x\n", "ok/support.log": "y\n"})
	logs, cleanup, err := Snapshot(archive)
	defer cleanup()
	if err != nil || len(logs) != 1 || logs[0].Node != "ok" {
		t.Errorf("logs %+v, %v: want only ok/support.log, nothing outside the directory", logs, err)
	}
}

func writeTarGz(t *testing.T, path string, files map[string]string) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for name, content := range files {
		tw.WriteHeader(&tar.Header{Name: "snapshot/" + name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
		tw.Write([]byte(content))
	}
	tw.Close()
	zw.Close()
	must(t, os.WriteFile(path, b.Bytes(), 0o644))
}
