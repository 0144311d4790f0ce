package sim

import (
	"strconv"
	"strings"
	"time"
)

// begin starts a line logged by n at the current time: the syslog_time (a few ms after the
// event, in the node's syslog precision), the system, the originating time, level and name.
func (s *Sim) begin(n *node, level, module string) {
	sent := s.now + int64(1+s.rng.IntN(40))*1000 + int64(s.rng.IntN(1000))
	s.out = appendSyslogTime(s.out, sent, n.microSyslog)
	s.out = append(s.out, ' ')
	s.out = append(s.out, n.name...)
	s.out = append(s.out, ' ')
	s.out = appendOriginatingTime(s.out, s.now)
	s.out = append(s.out, ` Level="`...)
	s.out = append(s.out, level...)
	s.out = append(s.out, `" Name="`...)
	s.out = append(s.out, module...)
	s.out = append(s.out, '"')
	s.lines++
	s.own()
}

// kv appends ` key="value"` with quotes in value escaped as \".
func (s *Sim) kv(key, value string) {
	s.out = append(s.out, ' ')
	s.out = append(s.out, key...)
	s.out = append(s.out, '=', '"')
	for {
		i := strings.IndexByte(value, '"')
		if i < 0 {
			break
		}
		s.out = append(s.out, value[:i]...)
		s.out = append(s.out, '\\', '"')
		value = value[i+1:]
	}
	s.out = append(s.out, value...)
	s.out = append(s.out, '"')
}

// kvs appends pairs given as key, value, key, value...
func (s *Sim) kvs(pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		s.kv(pairs[i], pairs[i+1])
	}
}

func (s *Sim) end() { s.out = append(s.out, '\n') }

// log writes a whole line: begin, the pairs, end.
func (s *Sim) log(n *node, level, module string, pairs ...string) {
	s.begin(n, level, module)
	s.kvs(pairs...)
	s.end()
}

// appendSyslogTime writes 2026-05-14T23:38:44.061+00:00 (or .061132 with micro).
func appendSyslogTime(b []byte, t int64, micro bool) []byte {
	tm := time.UnixMicro(t).UTC()
	b = appendDate(b, tm, 'T')
	b = append(b, '.')
	if micro {
		b = appendInt(b, tm.Nanosecond()/1000, 6)
	} else {
		b = appendInt(b, tm.Nanosecond()/1e6, 3)
	}
	return append(b, "+00:00"...)
}

// appendOriginatingTime writes 2026-05-14 23:38:44,061.
func appendOriginatingTime(b []byte, t int64) []byte {
	tm := time.UnixMicro(t).UTC()
	b = appendDate(b, tm, ' ')
	b = append(b, ',')
	return appendInt(b, tm.Nanosecond()/1e6, 3)
}

func appendDate(b []byte, tm time.Time, sep byte) []byte {
	y, mo, d := tm.Date()
	h, mi, sec := tm.Clock()
	b = appendInt(b, y, 4)
	b = append(b, '-')
	b = appendInt(b, int(mo), 2)
	b = append(b, '-')
	b = appendInt(b, d, 2)
	b = append(b, sep)
	b = appendInt(b, h, 2)
	b = append(b, ':')
	b = appendInt(b, mi, 2)
	b = append(b, ':')
	return appendInt(b, sec, 2)
}

// appendInt writes v in decimal, zero-padded to width digits.
func appendInt(b []byte, v, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	buf[i] = byte('0' + v)
	return append(b, buf[i:]...)
}

func itoa(v int) string { return strconv.Itoa(v) }

// seconds formats a duration in seconds with three decimals, as Duration fields are written.
func seconds(d int64) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64) }
