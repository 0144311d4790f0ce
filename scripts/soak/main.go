// Command soak runs calltail's terminal UI for a long while under steady load and reports
// what it lost, how its memory grew and how slowly it answered keys. Not run in CI:
//
//	go build -o /tmp/calltail . && go run ./scripts/soak -bin /tmp/calltail -for 30m
//
// Load: -rate lines a second (default 5 000) appended to a followed file that is rotated
// (renamed away, a new one created) every -rotate (default 1m), and -clients syslog TCP
// clients (default 100) each sending -client-rate messages a second (default 10). calltail
// runs in a tmux pane; every 10 s the script presses tab and times how long the screen takes
// to change. At the end it compares the entries the status line counts with the lines and
// messages sent, and compares the resident memory at the start of the steady state — a
// minute after calltail first let old entries go (see --max-entries; -max-entries passes
// a limit other than the default) — with the end.
//
// Each line carries a Call-id (see -lines-per-call), unless -idless-every N makes every
// Nth line carry none (1: no line does), the lines that let go of entries while the id
// index holds few ids or none (issue 17):
//
//	go run ./scripts/soak -bin /tmp/calltail -for 3m -max-entries 1000 -idless-every 1
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("bin", "calltail", "the calltail binary to run")
	duration := flag.Duration("for", 30*time.Minute, "how long to run the load")
	rate := flag.Int("rate", 5000, "lines a second appended to the followed file")
	rotate := flag.Duration("rotate", time.Minute, "how often the file is rotated")
	clients := flag.Int("clients", 100, "syslog TCP clients")
	clientRate := flag.Int("client-rate", 10, "messages a second per syslog client")
	maxEntries := flag.Int("max-entries", 0, "calltail's --max-entries (0: its default)")
	linesPerCall := flag.Int("lines-per-call", 0, "lines per Call-id, each call's id new (0: 5 000 ids used over and over)")
	idlessEvery := flag.Int("idless-every", 0, "every Nth line carries no Call-id (1: no line does; 0: every line carries one)")
	flag.Parse()
	if _, err := exec.LookPath("tmux"); err != nil {
		fail("tmux is needed (apt-get install tmux)")
	}
	dir, err := os.MkdirTemp("", "calltail-soak-")
	check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "support.log")
	check(os.WriteFile(path, nil, 0o644))
	port := freePort()

	session := fmt.Sprintf("calltail-soak-%d", os.Getpid())
	cmd := fmt.Sprintf("XDG_STATE_HOME=%s %s %s --syslog tcp://127.0.0.1:%d", dir, *bin, path, port)
	if *maxEntries > 0 {
		cmd += fmt.Sprintf(" --max-entries %d", *maxEntries)
	}
	run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd)
	defer exec.Command("tmux", "kill-session", "-t", session).Run()
	waitScreen(session, 10*time.Second, func(s string) bool { return strings.Contains(s, "following") })
	pid := childPID(*bin)
	fmt.Printf("calltail pid %d, RSS before the load %d MB\n", pid, rss(pid)>>20)
	var minuteRSS int64      // after the first minute of load
	var startRSS int64       // a minute after old entries were first let go: the steady state
	var steadyFrom time.Time // when that is

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var lines, messages atomic.Int64
	wg.Go(func() { writeFile(path, *rate, *rotate, *linesPerCall, *idlessEvery, stop, &lines) })
	for c := range *clients {
		wg.Go(func() { sendSyslog(port, c, *clientRate, stop, &messages) })
	}

	var slowest time.Duration
	var presses int
	deadline := time.Now().Add(*duration)
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Second)
		d := keyResponse(session)
		if presses++; presses == 6 {
			minuteRSS = rss(pid)
		}
		if steadyFrom.IsZero() && strings.Contains(capture(session), "let go)") {
			steadyFrom = time.Now().Add(time.Minute)
			fmt.Printf("%s  old entries are being let go; the steady state starts in a minute\n", time.Now().Format("15:04:05"))
		}
		if startRSS == 0 && !steadyFrom.IsZero() && time.Now().After(steadyFrom) {
			startRSS = rss(pid)
		}
		slowest = max(slowest, d)
		fmt.Printf("%s  %d lines, %d messages sent; tab answered in %v; RSS %d MB\n",
			time.Now().Format("15:04:05"), lines.Load(), messages.Load(), d.Round(time.Millisecond), rss(pid)>>20)
	}
	close(stop)
	wg.Wait()
	sent := lines.Load() + messages.Load()
	shown := waitCount(session, sent, time.Minute)
	endRSS := rss(pid)
	fmt.Printf("\nsent %d lines and %d messages; calltail counts %d entries: %d lost\n", lines.Load(), messages.Load(), shown, sent-shown)
	fmt.Printf("RSS %d MB after the first minute\n", minuteRSS>>20)
	if startRSS > 0 {
		fmt.Printf("RSS %d MB at the start of the steady state (%s), %d MB at the end (%+.0f%%)\n", startRSS>>20,
			steadyFrom.Format("15:04:05"), endRSS>>20, 100*float64(endRSS-startRSS)/float64(startRSS))
	} else {
		fmt.Println("calltail never let old entries go: no steady state to compare with (run longer, or lower -max-entries)")
	}
	fmt.Printf("slowest of %d key presses: %v\n", presses, slowest.Round(time.Millisecond))
}

// writeFile appends numbered lines at rate a second, renaming the file away and starting
// a new one every rotate, until stop. Each line carries a Call-id: a new one every
// perCall lines, or one of 5 000 used over and over if perCall is 0; but every idlessEvery-th
// line (if not 0) carries none.
func writeFile(path string, rate int, rotate time.Duration, perCall, idlessEvery int, stop <-chan struct{}, n *atomic.Int64) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	check(err)
	w := bufio.NewWriter(f)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	rotated, start := time.Now(), time.Now()
	for {
		select {
		case <-stop:
			w.Flush()
			f.Close()
			return
		case <-tick.C:
		}
		for n.Load() < int64(time.Since(start).Seconds()*float64(rate)) {
			i := n.Add(1)
			now := time.Now().UTC().Format("2006-01-02 15:04:05,000")
			if idlessEvery > 0 && i%int64(idlessEvery) == 0 {
				fmt.Fprintf(w, "%s Level=\"INFO\" Name=\"support.test\" Message=\"soak line %d\"\n", now, i)
				continue
			}
			id := i % 5000
			if perCall > 0 {
				id = i / int64(perCall)
			}
			fmt.Fprintf(w, "%s Level=\"INFO\" Name=\"support.sip\" Message=\"soak line %d\" Call-id=\"soak-%d@10.0.0.1\"\n",
				now, i, id)
		}
		w.Flush()
		if time.Since(rotated) >= rotate {
			f.Close()
			check(os.Rename(path, path+".1"))
			f, err = os.Create(path)
			check(err)
			w.Reset(f)
			rotated = time.Now()
		}
	}
}

// sendSyslog sends numbered RFC 5424 messages over one TCP connection at rate a second,
// from a loopback address of its own (127.0.1.x): each client is a host of its own, as
// devices sending to a syslog host are.
func sendSyslog(port, client, rate int, stop <-chan struct{}, n *atomic.Int64) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+client%250))}}
	c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	check(err)
	defer c.Close()
	w := bufio.NewWriter(c)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			w.Flush()
			return
		case <-tick.C:
		}
		fmt.Fprintf(w, "<134>1 %s client%d calltail-soak - - - message %d\n", time.Now().UTC().Format(time.RFC3339Nano), client, i)
		check(w.Flush())
		n.Add(1)
	}
}

// keyResponse presses tab and returns how long the screen took to change.
func keyResponse(session string) time.Duration {
	before := capture(session)
	start := time.Now()
	run("tmux", "send-keys", "-t", session, "Tab")
	for time.Since(start) < 10*time.Second {
		if capture(session) != before {
			return time.Since(start)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 10 * time.Second
}

var entries = regexp.MustCompile(`([0-9,]+) entries`)

// waitCount waits until the status line counts want entries, or for at most d, and
// returns the last count it read.
func waitCount(session string, want int64, d time.Duration) int64 {
	var n int64
	waitScreen(session, d, func(s string) bool {
		if m := entries.FindStringSubmatch(s); m != nil {
			n, _ = strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		}
		return n >= want
	})
	return n
}

func waitScreen(session string, d time.Duration, cond func(string) bool) {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond(capture(session)) {
			return
		}
	}
}

func capture(session string) string { return run("tmux", "capture-pane", "-p", "-t", session) }

// childPID finds the supervised calltail process (the one that reads the logs).
func childPID(bin string) int {
	out := run("pgrep", "-n", "-f", filepath.Base(bin)+" ")
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	check(err)
	return pid
}

// rss returns a process's resident memory in bytes.
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	check(err)
	for l := range strings.Lines(string(b)) {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func run(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		fail(fmt.Sprintf("%s %v: %v", name, args, err))
	}
	return string(out)
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "soak:", msg)
	os.Exit(1)
}
