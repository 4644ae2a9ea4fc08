package mailq

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	b := DefaultBackoff
	tests := []struct {
		n    int
		u    float64
		want time.Duration
	}{
		{1, 0.5, 30 * time.Second},
		{2, 0.5, time.Minute},
		{3, 0.5, 2 * time.Minute},
		{7, 0.5, 32 * time.Minute},
		{8, 0.5, time.Hour},
		{1000, 0.5, time.Hour},
		{1, 0, 24 * time.Second},    // -20 %
		{8, 0, 48 * time.Minute},    // -20 % of the cap
		{1, 0.75, 33 * time.Second}, // +10 %
		{8, 0.25, 54 * time.Minute}, // -10 % of the cap
	}
	for _, tt := range tests {
		if got := b.Delay(tt.n, tt.u); got != tt.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tt.n, tt.u, got, tt.want)
		}
	}
}

func TestBackoffNoJitterAndDefaults(t *testing.T) {
	t.Parallel()
	b := Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond}
	want := []time.Duration{1, 2, 4, 5, 5}
	for i, w := range want {
		if got := b.Delay(i+1, 0.9); got != w*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
	if d := (Backoff{}).orDefault(); d.Initial != DefaultRetryInitial || d.Max != DefaultRetryMax {
		t.Errorf("orDefault = %+v", d)
	}
}
