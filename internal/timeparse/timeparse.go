// Package timeparse reads the moments that users type after --at, --from
// and --to: RFC 3339 timestamps, dates, and ages relative to now.
package timeparse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var agePattern = regexp.MustCompile(`^(\d+)(s|m|h|d|w)$`)

var ageUnits = map[string]time.Duration{
	"s": time.Second,
	"m": time.Minute,
	"h": time.Hour,
	"d": 24 * time.Hour,
	"w": 7 * 24 * time.Hour,
}

// Parse reads a moment: "now", an RFC 3339 timestamp
// ("2026-03-01T14:02:00Z"), a date ("2026-03-01", midnight UTC, or
// "2026-03-01 14:02" in UTC), or an age before now ("90m", "12h", "3d",
// "2w").
func Parse(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "now") {
		return now.UTC(), nil
	}
	if m := agePattern.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid age %q: %w", s, err)
		}
		return now.Add(-time.Duration(n) * ageUnits[m[2]]).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: use RFC 3339 (2026-03-01T14:02:00Z), a date (2026-03-01) or an age such as 90m, 12h, 3d or 2w", s)
}
