package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// Report is what a run measured, one Scenario after another. -json
// prints it as is.
type Report struct {
	URL         string     `json:"url"`
	Identities  int        `json:"identities"` // demo identities in rotation
	Codes       int        `json:"codes"`      // distinct codes issued, the verify scenarios' pool
	Conflicts   int        `json:"conflicts"`  // students answered with a second, different code
	Scenarios   []Scenario `json:"scenarios"`
	Concurrency int        `json:"concurrency"`
}

// Scenario is one scenario's figures. Ops = OK + Errors; every answer's
// status is counted in Statuses (a form flow makes several requests an
// op), so the Statuses add up to Requests; Results count the OK ops by
// what the issuer said ("new", "existing", "valid").
type Scenario struct {
	Name        string         `json:"name"`
	What        string         `json:"what"`
	Concurrency int            `json:"concurrency"`
	Seconds     float64        `json:"seconds"`
	Ops         int            `json:"ops"`
	OK          int            `json:"ok"`
	Errors      int            `json:"errors"`
	Requests    int            `json:"requests"`
	PerSecond   float64        `json:"ops_per_second"`
	Latency     Latency        `json:"latency_ms"`
	Statuses    map[string]int `json:"statuses"`
	Results     map[string]int `json:"results"`
	FirstErrors []string       `json:"first_errors,omitempty"`
	// FloodSessions is how many sessions the flood made (flood scenarios).
	FloodSessions int64 `json:"flood_sessions,omitempty"`
}

// Latency holds nearest-rank percentiles of the operations, in ms.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Errors is the number of failed operations over every scenario.
func (r *Report) Errors() int {
	n := r.Conflicts
	for _, s := range r.Scenarios {
		n += s.Errors
	}
	return n
}

func (r *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// textHeader is the first line of the text table; the test reads the
// table back by these columns.
var textHeader = []string{"scenario", "conc", "secs", "ops", "ops/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "answers", "results"}

func (r *Report) writeText(w io.Writer) error {
	fmt.Fprintf(w, "cla-load against %s: %d demo identities, %d codes issued\n", r.URL, r.Identities, r.Codes)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(textHeader, "\t"))
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%s\t%s\n", s.Name, s.Concurrency, s.Seconds,
			s.Ops, s.PerSecond, s.Latency.P50, s.Latency.P90, s.Latency.P99, s.Latency.Max, s.Errors,
			counts(s.Statuses), counts(s.Results))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Scenarios {
		fmt.Fprintf(w, "  %s: %s\n", s.Name, s.What)
		if s.FloodSessions > 0 {
			fmt.Fprintf(w, "    meanwhile %d new sessions (%.0f a second) from cookieless clients\n", s.FloodSessions, float64(s.FloodSessions)/s.Seconds)
		}
		for _, e := range s.FirstErrors {
			fmt.Fprintf(w, "    error: %s\n", e)
		}
	}
	if r.Conflicts > 0 {
		fmt.Fprintf(w, "  %d repeated request(s) answered a different code than before\n", r.Conflicts)
	}
	return nil
}

// counts writes a map as "k=v,k=v" in key order ("-" when empty).
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, ",")
}
