package model

import "testing"

func TestParseLevel(t *testing.T) {
	tests := []struct {
		word string
		want Level
		ok   bool
	}{
		{"INFO", LevelInfo, true}, {"info", LevelInfo, true}, {"Warning", LevelWarning, true}, {"WARN", LevelWarning, true},
		{"ERR", LevelError, true}, {"error", LevelError, true}, {"CRITICAL", LevelCritical, true}, {"NOTICE", LevelNotice, true},
		{"debug", LevelDebug, true}, {"message", LevelInfo, true}, {"verbose", 0, false}, {"", 0, false},
		{"INFORMATIONAL", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseLevel([]byte(tt.word))
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLevelOrderAndNames(t *testing.T) {
	order := []Level{LevelDebug, LevelInfo, LevelNotice, LevelWarning, LevelError, LevelCritical}
	names := []string{"DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"}
	for i, l := range order {
		if i > 0 && l <= order[i-1] {
			t.Errorf("%v is not above %v", l, order[i-1])
		}
		if l.String() != names[i] {
			t.Errorf("%d.String() = %q, want %q", l, l.String(), names[i])
		}
		if back, _ := ParseLevel([]byte(l.String())); back != l {
			t.Errorf("ParseLevel(%v.String()) = %v", l, back)
		}
	}
}

func TestGuessLevel(t *testing.T) {
	tests := []struct {
		text string
		want Level
	}{
		{"Starting worker pool", LevelInfo},
		{"WARN: disk usage at 91%", LevelWarning},
		{"connection reset: error 104", LevelError},
		{"errors: 0, terrorists: 0", LevelInfo},
		{"FATAL: cannot bind", LevelCritical},
		{"debug: retry", LevelDebug},
		{"debug: then an error", LevelError},
		{"warning then fatal", LevelCritical},
		{"a message with information and an alert", LevelInfo},
		// NOTICE written as a level mark, in capitals, as Asterisk and FreeSWITCH write it
		// in their own files (fail2ban's Asterisk test log; a FreeSWITCH log pasted in
		// signalwire/freeswitch#1673); the word in prose is no level.
		{"[2012-02-13 17:21:54] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '1.2.3.4' - Wrong password", LevelNotice},
		{"766fe459-d040-441b-91e5-07052eb23ad5 2022-12-01 13:46:29.994188 90.53% [NOTICE] switch_channel.c:1123 New Channel sofia/external/787675 [766fe459-d040-441b-91e5-07052eb23ad5]", LevelNotice},
		{"NOTICE: but a warning follows", LevelWarning},
		{"please notice the Notice", LevelInfo},
	}
	for _, tt := range tests {
		if got := GuessLevel([]byte(tt.text)); got != tt.want {
			t.Errorf("GuessLevel(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIDKindOf(t *testing.T) {
	for _, name := range []string{"call-id", "Call-ID", "CALL-ID", "Conversation-id", "participant-id", "conference-id", "UUID"} {
		if _, ok := IDKindOf(name); !ok {
			t.Errorf("IDKindOf(%q) is not a correlation id", name)
		}
	}
	if _, ok := IDKindOf("Conference"); ok {
		t.Error("Conference is not a correlation id")
	}
}
