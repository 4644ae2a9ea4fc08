package web

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limiter is a token bucket per key (a client address, a document number).
// Rate limits guard what checks identities (RENIEC lookups cost money and
// invite enumeration) and what looks codes up (guessing 60-bit codes is
// hopeless, but still not free).
type Limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds memory; idle buckets are full anyway, so dropping
// them loses nothing.
const maxBuckets = 200_000

func NewLimiter(perMinute, burst int, now func() time.Time) *Limiter {
	return &Limiter{rate: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}, now: now}
}

// allow takes a token for key, or reports that there is none. A nil
// Limiter allows everything (limits off, e.g. for a load test).
func (l *Limiter) Allow(key string) bool {
	if l == nil {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.buckets = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ClientKey is the client's address: the connection's, or the first
// X-Forwarded-For hop when the server sits behind a trusted proxy.
func ClientKey(r *http.Request, behindProxy bool) string {
	if behindProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
