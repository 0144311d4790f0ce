package sipsyslog

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// The programs whose stderr lines are known by their shape.
var (
	kamailio  = []byte("kamailio")
	opensips  = []byte("opensips")
	rtpengine = []byte("rtpengine")
)

// stderr reads what Kamailio, OpenSIPS and rtpengine write before their text when they
// log to stderr (in a container, or run in the foreground), behind the time and level a
// log shipper put before it or not:
//
//	16(41) ERROR: tls [tls_server.c:1329]: ...               Kamailio: rank(pid), no time
//	Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: ...     OpenSIPS: time [pid]
//	[1581334363.918166] INFO: [ID="1-92581@x.x.x.x"]: ...    rtpengine: [epoch seconds]
//	2024-12-17T18:17:52.123Z ERROR ERROR: <core> [...]: ...  a shipper's time and level
//	2024-04-09T17:33:12.238986028Z 16(41) ERROR: tls ...     a shipper's time (docker logs -t)
//
// The server's level mark must follow ("ERROR:", "ERROR:core:..."): a time and a word are
// not enough. It reports false for a line of none of these shapes.
func stderr(raw []byte, y timestamp.Year) (entry, bool) {
	e := entry{kind: kindStderr, severity: -1}
	if t, n, ok := epoch(raw); ok {
		if !isMarkWord(firstWord(raw[n:])) {
			return entry{}, false
		}
		e.time, e.program, e.text = t, rtpengine, raw[n:]
		return e, true
	}
	rest := raw
	ts, stamped := y.BSD(raw)
	if !stamped {
		ts, stamped = timestamp.DateTime(raw)
	}
	if stamped {
		if ts.Len >= len(raw) || (raw[ts.Len] != ' ' && raw[ts.Len] != '\t') {
			return entry{}, false
		}
		rest = bytes.TrimLeft(raw[ts.Len:], " \t")
		e.time = ts.Micros
		if pid, after, ok := bracketPID(rest); ok {
			if w := firstWord(after); isMarkWord(w) && bytes.Count(w, []byte(":")) >= 2 {
				e.pid, e.program, e.text = pid, opensips, after
				return e, true
			}
			return entry{}, false
		}
		if w, after := cutWord(rest); !isMarkWord(w) {
			if _, ok := model.ParseLevel(w); ok {
				rest = after // the shipper's level: the server's mark that follows tells
			}
		}
	}
	if pid, after, ok := rank(rest); ok {
		if isMarkWord(firstWord(after)) {
			e.pid, e.program, e.text = pid, kamailio, rest
			return e, true
		}
		return entry{}, false
	}
	if stamped && isMarkWord(firstWord(rest)) {
		e.program, e.text = serverOf(rest), rest
		return e, true
	}
	return entry{}, false
}

// serverOf tells which server wrote a line that starts with a level mark: OpenSIPS
// ("ERROR:core:func: ..."), rtpengine ("INFO: [callid]: ..."), Kamailio ("ERROR: <core>
// [file.c:12]: ..." or "ERROR: tm [file.c:12]: ..."); nil if it cannot tell.
func serverOf(text []byte) []byte {
	w, rest := cutWord(text)
	if bytes.IndexByte(w, ':') < len(w)-1 {
		return opensips
	}
	second, rest := cutWord(rest)
	third, _ := cutWord(rest)
	switch {
	case len(second) > 0 && second[0] == '<', len(third) > 0 && third[0] == '[' && bytes.HasSuffix(third, []byte("]:")):
		return kamailio
	case len(second) > 0 && second[0] == '[':
		return rtpengine
	}
	return nil
}

// epoch reads rtpengine's "[1581334363.918166] " (seconds since the epoch, a fraction) at
// the start of b: the time, and the length with the space after it.
func epoch(b []byte) (micros int64, n int, ok bool) {
	if len(b) < 14 || b[0] != '[' {
		return 0, 0, false
	}
	i, secs := 1, int64(0)
	for ; i < len(b) && isDigit(b[i]) && i <= 11; i++ {
		secs = secs*10 + int64(b[i]-'0')
	}
	if i < 10 || i >= len(b) || b[i] != '.' {
		return 0, 0, false
	}
	frac, scale := int64(0), int64(100000)
	for i++; i < len(b) && isDigit(b[i]); i++ {
		frac += int64(b[i]-'0') * scale
		scale /= 10
	}
	if i+1 >= len(b) || b[i] != ']' || b[i+1] != ' ' || scale == 100000 {
		return 0, 0, false
	}
	return secs*1e6 + frac, i + 2, true
}

// bracketPID reads OpenSIPS's "[1462] " at the start of b.
func bracketPID(b []byte) (pid, rest []byte, ok bool) {
	end := bytes.IndexByte(b, ']')
	if len(b) == 0 || b[0] != '[' || end < 2 || end+1 >= len(b) || b[end+1] != ' ' || !isDigits(b[1:end]) {
		return nil, b, false
	}
	return b[1:end], b[end+2:], true
}

// rank reads Kamailio's "%2d(%d) " — the process's rank and its pid — at the start of b,
// after the blanks that pad the rank.
func rank(b []byte) (pid, rest []byte, ok bool) {
	b = bytes.TrimLeft(b, " ")
	open := bytes.IndexByte(b, '(')
	if open < 1 || !isDigits(b[:open]) {
		return nil, b, false
	}
	end := bytes.IndexByte(b[open:], ')') + open
	if end <= open+1 || end+1 >= len(b) || b[end+1] != ' ' || !isDigits(b[open+1:end]) {
		return nil, b, false
	}
	return b[open+1 : end], b[end+2:], true
}

// firstWord returns the run of non-blank bytes at the start of b.
func firstWord(b []byte) []byte {
	w, _ := cutWord(b)
	return w
}

// cutWord returns the first word of b and what follows it, its blanks skipped.
func cutWord(b []byte) (w, rest []byte) {
	end := bytes.IndexAny(b, " \t\n")
	if end < 0 {
		return b, nil
	}
	return b[:end], bytes.TrimLeft(b[end:], " \t")
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
