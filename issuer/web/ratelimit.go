package web

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minedu-cla/cla/issuer/issuance"
)

// Buckets are token buckets shared by every issuer process on one
// database (store.Postgres): one budget a key whichever replica counts.
type Buckets interface {
	// Take takes a token from key's bucket (rate tokens a second, burst
	// at most, full when new), or says how long until there is one.
	Take(ctx context.Context, key string, rate, burst float64, now time.Time) (ok bool, wait time.Duration, err error)
	// Wait says how long until key's bucket has a token, taking none.
	Wait(ctx context.Context, key string, rate, burst float64, now time.Time) (time.Duration, error)
	// Sweep forgets buckets untouched since before.
	Sweep(ctx context.Context, before time.Time) (int64, error)
}

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
	// shared, when set, keeps the buckets in the database for every
	// replica (Share); the map above is then only the fallback while the
	// database does not answer.
	shared Buckets
	name   string
	onErr  func(error)
}

// sharedTimeout bounds one shared-bucket round trip: past it the replica
// limits on its own rather than hold the request.
const sharedTimeout = 2 * time.Second

// Share keeps l's buckets in b under name (one name a limit), so that
// every replica on the database counts against the same budget. onErr is
// told of database errors (l then counts in memory meanwhile).
func (l *Limiter) Share(b Buckets, name string, onErr func(error)) {
	if l != nil {
		l.shared, l.name, l.onErr = b, name, onErr
	}
}

func (l *Limiter) sharedErr(err error) {
	if l.onErr != nil {
		l.onErr(err)
	}
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

// Wait is how long key must wait for its next token (0: one is there).
func (l *Limiter) Wait(key string) time.Duration {
	if l == nil {
		return 0
	}
	now := l.now()
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		defer cancel()
		w, err := l.shared.Wait(ctx, l.name+"\x00"+key, l.rate, l.burst, now)
		if err == nil {
			return w
		}
		l.sharedErr(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	if tokens >= 1 || l.rate <= 0 {
		return 0
	}
	return time.Duration((1 - tokens) / l.rate * float64(time.Second))
}

// RetryAfter is the Retry-After value (whole seconds, at least 1) for the
// longest of the waits.
func RetryAfter(waits ...time.Duration) string {
	longest := time.Second
	for _, w := range waits {
		longest = max(longest, w)
	}
	return strconv.Itoa(int((longest + time.Second - 1) / time.Second))
}

// Allow takes a token for key, or reports that there is none. A nil
// Limiter allows everything (limits off, e.g. for a load test).
func (l *Limiter) Allow(key string) bool {
	if l == nil {
		return true
	}
	now := l.now()
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		defer cancel()
		ok, _, err := l.shared.Take(ctx, l.name+"\x00"+key, l.rate, l.burst, now)
		if err == nil {
			return ok
		}
		l.sharedErr(err)
	}
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

// perHour is a limiter of n a hour, with a burst of n.
func perHour(n int, now func() time.Time) *Limiter { return NewLimiterEvery(n, time.Hour, now) }

// NewLimiterEvery is a limiter of n tokens every period, with a burst of n.
func NewLimiterEvery(n int, period time.Duration, now func() time.Time) *Limiter {
	l := NewLimiter(n, n, now)
	l.rate = float64(n) / period.Seconds()
	return l
}

// CheckGate decides whether client may have an identity check of doc run
// now: 0, and one of its check tokens is taken; or how long it must wait
// (the longest of its limits: Retry-After). Only this client's own
// failures count against it, on this document and on all: another
// address's failures on the same document never do.
func (s *Server) CheckGate(client, doc string) time.Duration {
	if w := max(s.docFails.Wait(doc+"\x00"+client), s.clientFails.Wait(client)); w > 0 {
		return w
	}
	if !s.Checks.Allow(client) {
		return max(s.Checks.Wait(client), time.Second)
	}
	return 0
}

// CheckDone records the outcome of an identity check that CheckGate let
// through: data that did not match costs the client a try on doc.
func (s *Server) CheckDone(client, doc string, err error) {
	if ref, ok := issuance.RefusalOf(err); ok && ref.Code == issuance.ErrMismatch.Code {
		s.docFails.Allow(doc + "\x00" + client)
		s.clientFails.Allow(client)
	}
}

// Loopback is the proxies -behind-proxy trusts: a reverse proxy on the
// same machine.
var Loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// ClientKey is the rate limits' name for the client: its address, an IPv6
// address cut to its /64 (one subscriber's network: rotating addresses
// inside it is free). The address is the connection's, unless that is one
// of the trusted proxies: then X-Forwarded-For is read from the right,
// past every trusted proxy, and the first hop no trusted proxy wrote is
// the client. Hops further left were written by the client and are never
// believed (rotating the first hop bypassed every limit).
func ClientKey(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := addrOf(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if isTrusted(peer, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // unreadable: written by the client, not by a proxy
			}
			peer = hop.Unmap()
			if !isTrusted(peer, trusted) {
				break
			}
		}
	}
	if peer.Is6() {
		p, _ := peer.Prefix(64)
		return p.String()
	}
	return peer.String()
}

// ClientKey is ClientKey with the server's trusted proxies.
func (s *Server) ClientKey(r *http.Request) string { return ClientKey(r, s.TrustedProxies) }

func addrOf(remote string) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		a, err := netip.ParseAddr(remote)
		return a.Unmap(), err == nil
	}
	return ap.Addr().Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
