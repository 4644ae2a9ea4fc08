package lima

import (
	"testing"
	"time"
)

// TestZone: UTC−5 today, and the summer time of 1994's first months
// (UTC−4), which only the real database knows: a fixed zone would differ.
func TestZone(t *testing.T) {
	for _, tc := range []struct {
		at     time.Time
		offset int
	}{
		{time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC), -5 * 3600},
		{time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), -5 * 3600},
		{time.Date(1994, 2, 1, 12, 0, 0, 0, time.UTC), -4 * 3600},
	} {
		if _, off := tc.at.In(Zone).Zone(); off != tc.offset {
			t.Errorf("%v: offset %d, want %d", tc.at, off, tc.offset)
		}
	}
	// Lima's day is not UTC's between 19:00 and 24:00 UTC.
	if d := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC).In(Zone).Day(); d != 28 {
		t.Errorf("day %d, want 28 (February)", d)
	}
}
