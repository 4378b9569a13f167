package timeparse

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{"2026-03-01T14:02:00Z", time.Date(2026, 3, 1, 14, 2, 0, 0, time.UTC)},
		{"2026-03-01T14:02:00+02:00", time.Date(2026, 3, 1, 12, 2, 0, 0, time.UTC)},
		{"2026-03-01", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-03-01 14:02", time.Date(2026, 3, 1, 14, 2, 0, 0, time.UTC)},
		{"3d", now.Add(-72 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{" 12h ", now.Add(-12 * time.Hour)},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, now)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	for _, in := range []string{"", "yesterday", "3x", "-3d", "2026-13-01"} {
		if _, err := Parse(in, time.Now()); err == nil {
			t.Errorf("Parse(%q): got no error, want one", in)
		}
	}
}
