package pdf

import (
	"testing"
	"time"
)

func TestLimaTime(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC), "2 de marzo de 2026, 10:04:05 (hora de Lima)"},
		{time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC), "31 de diciembre de 2026, 21:00:00 (hora de Lima)"},
	}
	for _, tc := range tests {
		if got := limaTime(tc.at); got != tc.want {
			t.Errorf("limaTime(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
}
