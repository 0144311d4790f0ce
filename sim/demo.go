package sim

import (
	"bytes"
	"context"
	"net"
	"os"
	"time"
)

// DemoBacklog is how much simulated history the demo writes before it goes live.
const DemoBacklog = 15 * time.Minute

// RunDemo plays a busy simulated Pexip deployment live until ctx is done: the lines of
// some nodes are appended to the file at path, the others are sent to the syslog listener
// at udpAddr as RFC 3164 datagrams, so that both paths of calltail run. It first writes
// DemoBacklog of history at once, then each line when its time comes.
func RunDemo(ctx context.Context, path, udpAddr string, seed uint64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	conn, err := net.Dial("udp", udpAddr)
	if err != nil {
		return err
	}
	defer conn.Close()
	s := NewWith(seed, Options{Start: time.Now().Add(-DemoBacklog), Busy: 8})
	var file []byte
	var line []byte
	for {
		line = s.Next(line[:0])
		if bytes.Contains(line[:min(len(line), 40)], []byte(" conf03 ")) || bytes.Contains(line[:min(len(line), 45)], []byte(" 10.0.3.31 ")) {
			// Remote nodes log through syslog: PRI local0.info in front of the line.
			if _, err := conn.Write(append([]byte("<134>"), bytes.TrimSuffix(line, []byte("\n"))...)); err != nil {
				return err
			}
		} else {
			file = append(file, line...)
		}
		if wait := time.Until(s.Now()); wait > 0 {
			if len(file) > 0 {
				if _, err := f.Write(file); err != nil {
					return err
				}
				file = file[:0]
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		} else if len(file) > 1<<20 {
			if _, err := f.Write(file); err != nil {
				return err
			}
			file = file[:0]
		}
	}
}
