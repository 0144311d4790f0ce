// Package model holds calltail's log engine: the parsed form of one entry, levels, correlation
// ids, and the interface that each log format's parser implements. Subpackages hold the parsers,
// the store, the filter language and the headless query runner. Nothing here knows of terminals.
package model

// Level is the severity of an entry. Levels are integers with gaps, like log/slog's, so that
// levels from other formats can sit between ours; a higher value is more severe.
type Level int8

// The levels calltail knows, in increasing severity.
const (
	LevelDebug    Level = -4
	LevelInfo     Level = 0
	LevelNotice   Level = 2
	LevelWarning  Level = 4
	LevelError    Level = 8
	LevelCritical Level = 12
)

// String returns the level's canonical upper-case name, as Pexip writes it.
func (l Level) String() string {
	switch {
	case l <= LevelDebug:
		return "DEBUG"
	case l < LevelNotice:
		return "INFO"
	case l < LevelWarning:
		return "NOTICE"
	case l < LevelError:
		return "WARNING"
	case l < LevelCritical:
		return "ERROR"
	default:
		return "CRITICAL"
	}
}

// levelWords maps the upper-cased level words seen in Pexip, syslog and Flexisip logs to levels.
var levelWords = map[string]Level{
	"DEBUG": LevelDebug, "TRACE": LevelDebug,
	"INFO": LevelInfo, "MESSAGE": LevelInfo, "INFORMATION": LevelInfo,
	"NOTICE":  LevelNotice,
	"WARNING": LevelWarning, "WARN": LevelWarning,
	"ERROR": LevelError, "ERR": LevelError,
	"CRITICAL": LevelCritical, "CRIT": LevelCritical, "FATAL": LevelCritical,
	"ALERT": LevelCritical, "EMERG": LevelCritical, "EMERGENCY": LevelCritical, "PANIC": LevelCritical,
}

// ParseLevel reads a level word in any letter case ("INFO", "warning", "Err").
// It reports false for a word that is not a level.
func ParseLevel(word []byte) (Level, bool) {
	if len(word) == 0 || len(word) > len("INFORMATION") {
		return 0, false
	}
	var buf [16]byte
	l, ok := levelWords[string(upper(buf[:0], word))] // map lookups by string(bytes) do not allocate
	return l, ok
}

// guessWords are the level words that GuessLevel trusts in free text, in any letter case.
// Words such as "message", "alert" or "notice" are levels in Level="X" but ordinary prose
// elsewhere, so they are not guessed from.
var guessWords = map[string]Level{
	"DEBUG": LevelDebug,
	"WARN":  LevelWarning, "WARNING": LevelWarning,
	"ERR": LevelError, "ERROR": LevelError,
	"CRIT": LevelCritical, "CRITICAL": LevelCritical, "FATAL": LevelCritical, "EMERG": LevelCritical,
}

// GuessLevel finds the most severe level word in free text ("ERROR:", "warn", "Fatal") for
// lines of no known shape. Only whole words count, so "errors" or "terrorist" do not.
// NOTICE counts when written in capitals, as servers write their level marks
// ("NOTICE[1638]", "[NOTICE]"); in prose "notice" is no level. Text without a level word
// is LevelInfo.
func GuessLevel(text []byte) Level {
	level := LevelInfo
	var buf [8]byte
	for i := 0; i < len(text); {
		if !isLetter(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isLetter(text[j]) {
			j++
		}
		if j-i <= len(buf) {
			l, ok := guessWords[string(upper(buf[:0], text[i:j]))]
			if !ok && string(text[i:j]) == "NOTICE" {
				l, ok = LevelNotice, true
			}
			if ok && (l > level || level == LevelInfo) {
				level = l
			}
		}
		i = j
	}
	return level
}

// upper appends the ASCII upper-case form of word to dst.
func upper(dst, word []byte) []byte {
	for _, c := range word {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isLetter(c byte) bool { return 'A' <= c&^0x20 && c&^0x20 <= 'Z' }

// SeverityLevel maps a syslog severity (0 emergency ... 7 debug) to a level; a negative
// severity (none) is LevelInfo.
func SeverityLevel(severity int) Level {
	switch {
	case severity < 0:
		return LevelInfo
	case severity <= 2:
		return LevelCritical
	case severity == 3:
		return LevelError
	case severity == 4:
		return LevelWarning
	case severity == 5:
		return LevelNotice
	case severity == 6:
		return LevelInfo
	default:
		return LevelDebug
	}
}
