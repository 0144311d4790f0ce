package model

import "testing"

// TestContentUUID reads the participant's uuid from the JSON Content of a per-window media
// statistics event, its quotes escaped or not, wrapped as Python bytes or not.
func TestContentUUID(t *testing.T) {
	for _, content := range []string{
		`{\"uuid\": \"612bef18-1c3f\", \"call_quality_now\": \"1_good\"}`,
		`b'{"uuid": "612bef18-1c3f", "call_quality_now": "1_good"}'`,
		`{"uuid":"612bef18-1c3f"}`,
	} {
		if id, ok := contentUUID([]byte(content)); !ok || string(id) != "612bef18-1c3f" {
			t.Errorf("%s: %q, %v", content, id, ok)
		}
	}
	for _, content := range []string{`{"name": "x"}`, `{"uuid": ""}`, `uuid`} {
		if id, ok := contentUUID([]byte(content)); ok {
			t.Errorf("%s: found %q", content, id)
		}
	}
}
