package mailq

import "time"

// Backoff is the retry schedule for a message the server deferred, and for
// pausing the queue while the server is unreachable: Initial, doubling each
// time up to Max, each delay scaled by a random factor in [1-Jitter, 1+Jitter)
// so that messages deferred together do not retry together.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Jitter  float64 // 0 to 1
}

// DefaultBackoff is 30 s, 1 min, 2 min … 32 min, then every hour, ±20 %.
var DefaultBackoff = Backoff{Initial: DefaultRetryInitial, Max: DefaultRetryMax, Jitter: DefaultRetryJitter}

// Delay returns the wait after the n-th failure (n ≥ 1), with u in [0, 1)
// drawn from the jitter source.
func (b Backoff) Delay(n int, u float64) time.Duration {
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	j := min(max(b.Jitter, 0), 1)
	return time.Duration(float64(d) * (1 - j + 2*j*u))
}

func (b Backoff) orDefault() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultRetryInitial
	}
	if b.Max < b.Initial {
		b.Max = max(DefaultRetryMax, b.Initial)
	}
	return b
}
