// Command live measures calltail's live sources end to end, with the built binary:
//
//	go run ./bench/live -bin ./calltail latency-file    # append -> printed, at 10 k lines/s
//	go run ./bench/live -bin ./calltail latency-udp     # send -> printed, at 10 k lines/s
//	go run ./bench/live -bin ./calltail udp-load        # 1 M datagrams at 100 k/s: all spooled?
//	go run ./bench/live -bin ./calltail tcp-load        # 10 connections: messages/s sustained
//	go run ./bench/live -bin ./calltail -file F first-screen  # the UI in tmux: time to the first rows
//	go run ./bench/live -bin ./calltail follow-bytes    # the UI following 5 k lines/s: bytes/s to the terminal
//
// Figures go to BENCHMARKS.md. This is a benchmark, not a test: it is not run by CI.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	bin      = flag.String("bin", "./calltail", "the calltail binary")
	rate     = flag.Int("rate", 10000, "lines or messages per second for the latency runs")
	duration = flag.Duration("duration", 10*time.Second, "how long the latency runs last")
	file     = flag.String("file", "bench/out/support-1024M.log", "the log the UI opens for first-screen")
)

func main() {
	log.SetFlags(0)
	flag.Parse()
	dir, err := os.MkdirTemp("", "calltail-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	switch flag.Arg(0) {
	case "latency-file":
		latencyFile(dir)
	case "latency-udp":
		latencyUDP(dir)
	case "udp-load":
		udpLoad(dir)
	case "tcp-load":
		tcpLoad(dir)
	case "first-screen":
		firstScreen()
	case "follow-bytes":
		followBytes(dir)
	default:
		log.Fatal("usage: live [-bin PATH] latency-file|latency-udp|udp-load|tcp-load")
	}
}

// line is a Pexip-shaped line of about 400 bytes that carries its sequence number and
// the time it was written.
func line(seq int) string {
	now := time.Now()
	return fmt.Sprintf(`%s conf01 %s Level="INFO" Name="support.participant" Message="bench seq=%d sent=%d" Participant="sip:alice@example.com" Call-Id="%016x@10.44.5.9" Detail="%s"`,
		now.UTC().Format("2006-01-02T15:04:05.000+00:00"), now.UTC().Format("2006-01-02 15:04:05,000"), seq, now.UnixNano(), seq, strings.Repeat("x", 180))
}

var sentRe = regexp.MustCompile(`seq=(\d+) sent=(\d+)`)

// start runs calltail with args and returns its stdout and a function that stops it with
// SIGINT and returns its stderr.
func start(args ...string) (io.Reader, func() string) {
	cmd := exec.Command(*bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	return out, func() string {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
		return stderr.String()
	}
}

// measure reads calltail's output until n lines arrived, and prints latency percentiles.
func measure(out io.Reader, n int) {
	lat := make([]time.Duration, 0, n)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for len(lat) < n && sc.Scan() {
		now := time.Now().UnixNano()
		if m := sentRe.FindStringSubmatch(sc.Text()); m != nil {
			sent, _ := strconv.ParseInt(m[2], 10, 64)
			lat = append(lat, time.Duration(now-sent))
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)] }
	fmt.Printf("lines %d: p50 %v, p99 %v, p99.9 %v, max %v\n", len(lat), pct(0.5).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(0.999).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
}

// paced calls write(seq) rate times a second for the duration, each on its own.
func paced(write func(seq int)) int {
	total := int(float64(*rate) * duration.Seconds())
	perTick := max(1, *rate/1000)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for seq := 0; seq < total; {
		<-tick.C
		for range perTick {
			if seq < total {
				write(seq)
				seq++
			}
		}
	}
	return total
}

func latencyFile(dir string) {
	path := filepath.Join(dir, "support.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	out, stop := start("-n", "-f", path)
	time.Sleep(300 * time.Millisecond)
	total := int(float64(*rate) * duration.Seconds())
	go paced(func(seq int) { f.WriteString(line(seq) + "\n") })
	fmt.Printf("file, %d lines/s for %v: ", *rate, *duration)
	measure(out, total)
	fmt.Print(stop())
}

func latencyUDP(dir string) {
	addr := freeUDP()
	out, stop := start("-n", "--syslog", "udp://"+addr, "--spool", filepath.Join(dir, "spool.log"))
	time.Sleep(300 * time.Millisecond)
	c, err := net.Dial("udp", addr)
	if err != nil {
		log.Fatal(err)
	}
	total := int(float64(*rate) * duration.Seconds())
	go paced(func(seq int) { c.Write([]byte("<134>" + line(seq))) })
	fmt.Printf("syslog UDP, %d messages/s for %v: ", *rate, *duration)
	measure(out, total)
	fmt.Print(stop())
}

// udpLoad sends 1 M datagrams of about 400 bytes at 100 k/s and counts what was spooled.
func udpLoad(dir string) {
	const total, perSecond = 1_000_000, 100_000
	addr := freeUDP()
	spool := filepath.Join(dir, "spool.log")
	out, stop := start("-n", "--syslog", "udp://"+addr, "--spool", spool, "--query", "nothing-matches-this")
	go io.Copy(io.Discard, out)
	time.Sleep(300 * time.Millisecond)
	c, err := net.Dial("udp", addr)
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("<134>" + line(0))
	begin := time.Now()
	tick := time.NewTicker(time.Millisecond)
	for sent := 0; sent < total; {
		<-tick.C
		// Catch up to the schedule: perSecond spread evenly.
		due := min(total, int(time.Since(begin).Seconds()*perSecond))
		for ; sent < due; sent++ {
			c.Write(msg)
		}
	}
	elapsed := time.Since(begin)
	time.Sleep(time.Second)
	summary := stop()
	fmt.Printf("UDP: sent %d datagrams of %d bytes in %v (%.0f/s); spooled %d lines\n%s",
		total, len(msg), elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), countLines(spool), summary)
}

// tcpLoad sends from 10 connections as fast as they go for 5 s and reports the rate.
func tcpLoad(dir string) {
	addr := freeTCP()
	spool := filepath.Join(dir, "spool.log")
	out, stop := start("-n", "--syslog", "tcp://"+addr, "--spool", spool, "--query", "nothing-matches-this")
	go io.Copy(io.Discard, out)
	time.Sleep(300 * time.Millisecond)
	msg := []byte("<134>" + line(0) + "\n")
	var sent atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(5 * time.Second)
	for range 10 {
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				log.Fatal(err)
			}
			defer c.Close()
			w := bufio.NewWriterSize(c, 64<<10)
			for time.Now().Before(deadline) {
				for range 100 {
					w.Write(msg)
				}
				sent.Add(100)
			}
			w.Flush()
		})
	}
	wg.Wait()
	time.Sleep(time.Second)
	summary := stop()
	n := countLines(spool)
	fmt.Printf("TCP: 10 connections sent %d messages of %d bytes in 5 s (%.0f/s); spooled %d (%.0f/s)\n%s",
		sent.Load(), len(msg), float64(sent.Load())/5, n, float64(n)/5, summary)
}

func countLines(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	return bytes.Count(data, []byte("\n"))
}

func freeUDP() string {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

func freeTCP() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tmux runs a tmux command and returns its output.
func tmux(args ...string) string {
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		log.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

var rowRe = regexp.MustCompile(`\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} `)

// firstScreen starts the UI on a file in a 200x60 tmux window and times how long until its
// rows are on the screen, polling the screen every few milliseconds.
func firstScreen() {
	info, err := os.Stat(*file)
	if err != nil {
		log.Fatalf("%v (make it with scripts/compare.sh)", err)
	}
	exec.Command("cat", *file).Run() // into the page cache, as for a second look at a file
	for run := 0; run < 5; run++ {
		session := fmt.Sprintf("calltail-first-%d", run)
		start := time.Now()
		tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "60", *bin+" "+*file)
		var shown, indexed time.Duration
		sawIndexing := false
		for time.Since(start) < 30*time.Second {
			screen := tmux("capture-pane", "-p", "-t", session)
			if shown == 0 && len(rowRe.FindAllString(screen, -1)) > 20 {
				shown = time.Since(start)
			}
			if strings.Contains(screen, "indexing") {
				sawIndexing = true
			} else if shown != 0 && sawIndexing {
				indexed = time.Since(start)
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		tmux("kill-session", "-t", session)
		fmt.Printf("%s (%d MB): first screen %v, indexed %v\n", *file, info.Size()>>20, shown.Round(time.Millisecond), indexed.Round(time.Millisecond))
	}
}

// followBytes has the UI follow a file that grows by 5 000 lines a second for 10 s and
// counts the bytes it writes to the terminal.
func followBytes(dir string) {
	path := filepath.Join(dir, "support.log")
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, "terminal.out")
	session := "calltail-follow-bytes"
	tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "60", *bin+" "+path)
	defer tmux("kill-session", "-t", session)
	time.Sleep(500 * time.Millisecond)
	tmux("pipe-pane", "-o", "-t", session, "cat > "+out)
	*rate, *duration = 5000, 10*time.Second
	start := time.Now()
	n := paced(func(seq int) { f.WriteString(line(seq) + "\n") })
	elapsed := time.Since(start)
	time.Sleep(200 * time.Millisecond)
	tmux("pipe-pane", "-t", session)
	data, _ := os.ReadFile(out)
	fmt.Printf("following %d lines in %v: %d bytes to the terminal, %.0f bytes/s (%.1f bytes per line appended)\n",
		n, elapsed.Round(time.Millisecond), len(data), float64(len(data))/elapsed.Seconds(), float64(len(data))/float64(n))
}
