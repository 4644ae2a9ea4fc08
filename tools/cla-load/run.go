package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// outcome is what one operation ended with. An operation is one request
// for the API scenarios and one person's whole way through the pages for
// the form flow.
type outcome struct {
	statuses []int  // every answer's HTTP status, in order
	result   string // what the issuer said, e.g. "new", "existing", "valid"
	err      error  // transport failure or an answer the flow did not expect
}

// worker is one simulated client: its own cookies, the shared transport.
type worker struct {
	id     int
	client *http.Client
	base   string
	state  *shared
	token  string // the verify page's CSRF token, once fetched
}

// op is one scenario's operation.
type op func(ctx context.Context, w *worker) outcome

// shared is what the scenarios learn and the next ones use: the codes
// issued, by student.
type shared struct {
	ids   []identity
	terms string
	next  atomic.Uint64

	mu        sync.Mutex
	codes     map[string]string // student document → code
	codeList  []string
	conflicts int // a student answered with a second, different code
}

func newShared(ids []identity, terms string) *shared {
	return &shared{ids: ids, terms: terms, codes: map[string]string{}}
}

// identity hands out the demo identities in turn.
func (s *shared) identity() identity {
	return s.ids[int((s.next.Add(1)-1)%uint64(len(s.ids)))]
}

// issued notes the code a student got and reports whether it agrees with
// what the student got before: asking again must answer the same code.
func (s *shared) issued(id identity, code string) bool {
	k := id.Student.DocType + " " + id.Student.DocNumber
	s.mu.Lock()
	defer s.mu.Unlock()
	switch old, ok := s.codes[k]; {
	case !ok:
		s.codes[k] = code
		s.codeList = append(s.codeList, code)
	case old != code:
		s.conflicts++
		return false
	}
	return true
}

// code hands out the issued codes in turn.
func (s *shared) code() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.codeList) == 0 {
		return ""
	}
	return s.codeList[int((s.next.Add(1)-1)%uint64(len(s.codeList)))]
}

func (s *shared) codeCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codeList)
}

// runScenario runs op on c workers until d has passed (each worker starts
// no new operation after that; those in flight finish) and sums up.
func runScenario(ctx context.Context, o Options, d scenarioDef, st *shared, transport http.RoundTripper) Scenario {
	name, what, f := d.name, d.what, d.op
	type sample struct {
		lat time.Duration
		out outcome
	}
	results := make([][]sample, o.Concurrency)
	start := time.Now()
	deadline := start.Add(o.Duration)
	var wg sync.WaitGroup
	for i := range o.Concurrency {
		jar, _ := cookiejar.New(nil)
		w := &worker{id: i, base: o.urls[i%len(o.urls)], state: st, client: &http.Client{Transport: transport, Jar: jar, Timeout: o.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				out := f(ctx, w)
				if ctx.Err() != nil && out.err != nil {
					return // interrupted: not the issuer's failure
				}
				results[i] = append(results[i], sample{time.Since(t0), out})
			}
		})
	}
	var flooded atomic.Int64
	var fwg sync.WaitGroup
	if d.flood {
		flooder := &worker{base: o.URL, client: &http.Client{Transport: transport, Timeout: o.Timeout}} // no cookie jar
		for range o.Concurrency {
			fwg.Go(func() {
				for ctx.Err() == nil && time.Now().Before(deadline) {
					if st, _, _, err := flooder.do(ctx, http.MethodGet, "/verificar", "", nil); err == nil && st == http.StatusOK {
						flooded.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	fwg.Wait()
	sc := Scenario{Name: name, What: what, Concurrency: o.Concurrency, Seconds: time.Since(start).Seconds(),
		Statuses: map[string]int{}, Results: map[string]int{}}
	sc.FloodSessions = flooded.Load()
	var lats []time.Duration
	for _, rs := range results {
		for _, s := range rs {
			sc.Ops++
			lats = append(lats, s.lat)
			for _, code := range s.out.statuses {
				sc.Requests++
				sc.Statuses[strconv.Itoa(code)]++
			}
			if s.out.err != nil {
				sc.Errors++
				if len(sc.FirstErrors) < 5 {
					sc.FirstErrors = append(sc.FirstErrors, s.out.err.Error())
				}
				if errors.Is(s.out.err, errTransport) {
					sc.Requests++
					sc.Statuses["transport"]++
				}
				continue
			}
			sc.OK++
			sc.Results[s.out.result]++
		}
	}
	sc.PerSecond = float64(sc.Ops) / sc.Seconds
	sc.Latency = percentiles(lats)
	return sc
}

// percentiles are nearest-rank percentiles of every operation, in
// milliseconds.
func percentiles(lats []time.Duration) Latency {
	if len(lats) == 0 {
		return Latency{}
	}
	slices.Sort(lats)
	at := func(p float64) float64 {
		i := int(p*float64(len(lats))+0.999999) - 1 // nearest rank: ceil(p·n)
		i = min(max(i, 0), len(lats)-1)
		return ms(lats[i])
	}
	return Latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(lats[len(lats)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// errTransport marks a request that got no answer at all.
var errTransport = errors.New("no answer")

func transportError(err error) error { return fmt.Errorf("%w: %w", errTransport, err) }
