package httpreg

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Options tune a client. The zero value is usable: every field has a
// default.
type Options struct {
	// Service names the registry in errors and logs ("reniec",
	// "migraciones", "siagie").
	Service string
	// HTTPClient sends the requests; nil means a client of its own.
	HTTPClient *http.Client
	// Timeout bounds one attempt, default 3 s: a registry that slow is
	// better retried than waited for.
	Timeout time.Duration
	// Attempts is the number of tries, default 3.
	Attempts int
	// Backoff is the wait before the second try, default 200 ms; it
	// doubles each time up to MaxBackoff, default 2 s. A Retry-After
	// header can ask for more, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Jitter spreads a wait of d so that many issuers do not retry in
	// step; default uniform in [d/2, d]. Tests inject their own.
	Jitter func(d time.Duration) time.Duration
	// Token, when set, is sent as "Authorization: Bearer <token>".
	Token string
}

func (o Options) withDefaults() Options {
	if o.Service == "" {
		o.Service = "registry"
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Transport: http.DefaultTransport}
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 200 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 2 * time.Second
	}
	if o.Jitter == nil {
		o.Jitter = func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) }
	}
	return o
}

// wait returns the pause before try n+1 (n ≥ 1).
func (o Options) wait(n int, retryAfter time.Duration) time.Duration {
	d := o.Backoff << min(n-1, 20)
	d = o.Jitter(min(d, o.MaxBackoff))
	return max(d, min(retryAfter, o.MaxBackoff))
}
