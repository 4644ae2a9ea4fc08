package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Options configure a run.
type Options struct {
	URL         string        // the issuer's base URL; several, comma-separated, are replicas
	urls        []string      // URL split: worker i drives urls[i%len]
	Duration    time.Duration // each scenario's length
	Concurrency int           // workers a scenario
	Timeout     time.Duration // one request's limit
	Scenarios   []string      // names from scenarios, in order
}

// scenarioDef is a scenario the tool knows.
type scenarioDef struct {
	name, what string
	op         op
	verify     bool // needs issued codes
	// flood runs as many cookieless GET /verificar as it can beside the
	// measured workers: each makes a new session (the session flood).
	flood bool
}

var scenarios = []scenarioDef{
	{"request-api", "POST /api/v1/solicitudes, the demo identities in turn (201 new, then 201 existing)", apiRequest, false, false},
	{"request-form", "the request pages as a browser without JavaScript: GET /solicitar, POST terminos, POST datos, " +
		"GET vista-previa, POST emitir, GET listo (6 requests an op)", formFlow, false, false},
	{"verify-api", "GET /api/v1/constancias/{code}, the codes issued in turn", apiLookup, true, false},
	{"verify-page", "POST /verificar with the codes issued in turn (the page fetched once a worker)", pageVerify, true, false},
	{"verify-page-flood", "verify-page while as many more clients create sessions as fast as they can " +
		"(cookieless GET /verificar): the people verifying must keep their sessions and their latency", pageVerify, true, true},
}

// DefaultScenarios is what a run does unless told otherwise.
var DefaultScenarios = []string{"request-api", "request-form", "verify-api", "verify-page", "verify-page-flood"}

func scenarioByName(name string) (scenarioDef, bool) {
	for _, s := range scenarios {
		if s.name == name {
			return s, true
		}
	}
	return scenarioDef{}, false
}

// Run drives the issuer at o.URL through the scenarios, one after the
// other, and reports. Verify scenarios look up the codes the request
// scenarios obtained; without one before them, each demo identity is
// requested once first (not timed).
func Run(ctx context.Context, o Options, ids []identity) (*Report, error) {
	for _, u := range strings.Split(o.URL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			o.urls = append(o.urls, u)
		}
	}
	if len(o.urls) == 0 {
		return nil, errors.New("no issuer URL")
	}
	o.URL = o.urls[0]
	if o.Concurrency < 1 || o.Duration <= 0 {
		return nil, errors.New("concurrency and duration must be positive")
	}
	if len(o.Scenarios) == 0 {
		o.Scenarios = DefaultScenarios
	}
	var defs []scenarioDef
	for _, n := range o.Scenarios {
		d, ok := scenarioByName(n)
		if !ok {
			return nil, fmt.Errorf("unknown scenario %q", n)
		}
		defs = append(defs, d)
	}
	transport := &http.Transport{MaxIdleConns: 4 * o.Concurrency, MaxIdleConnsPerHost: 2 * o.Concurrency,
		IdleConnTimeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	terms, err := termsVersion(ctx, o, transport)
	if err != nil {
		return nil, err
	}
	st := newShared(ids, terms)
	rep := &Report{URL: strings.Join(o.urls, ","), Identities: len(ids), Concurrency: o.Concurrency}
	for _, d := range defs {
		if d.verify && st.codeCount() == 0 {
			if err := seed(ctx, o, st, transport); err != nil {
				return nil, err
			}
		}
		rep.Scenarios = append(rep.Scenarios, runScenario(ctx, o, d, st, transport))
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	rep.Codes, rep.Conflicts = st.codeCount(), st.conflicts
	return rep, nil
}

// termsVersion reads the current terms version off the first request
// page (the API wants it in accept_terms).
func termsVersion(ctx context.Context, o Options, transport http.RoundTripper) (string, error) {
	w := &worker{base: o.URL, client: &http.Client{Transport: transport, Timeout: o.Timeout}}
	st, _, b, err := w.do(ctx, http.MethodGet, "/solicitar", "", nil)
	if err != nil {
		return "", fmt.Errorf("the issuer at %s does not answer: %w", o.URL, err)
	}
	m := termRE.FindSubmatch(b)
	if st != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET %s/solicitar: %d, no terms version on the page", o.URL, st)
	}
	return string(m[1]), nil
}

// seed requests a constancia for every demo identity once, so that the
// verify scenarios have codes to look up.
func seed(ctx context.Context, o Options, st *shared, transport http.RoundTripper) error {
	w := &worker{base: o.URL, state: st, client: &http.Client{Transport: transport, Timeout: o.Timeout}}
	var first error
	for range st.ids {
		if out := apiRequest(ctx, w); out.err != nil && first == nil {
			first = out.err
		}
	}
	if st.codeCount() == 0 {
		return fmt.Errorf("no constancia issued to verify: %v", first)
	}
	return nil
}
