package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/server"
	"github.com/minedu-cla/cla/issuer/web"

	"github.com/minedu-cla/cla/issuer/lima"
)

// startIssuer runs the real issuer in process on a free loopback port,
// rate limits off, data in a temporary folder.
func startIssuer(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DevKeys: true, Limits: web.Limits{}}
	go func() {
		done <- server.Run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(u string) { ready <- u })
	}()
	select {
	case u := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("issuer shutdown: %v", err)
			}
		})
		return u
	case err := <-done:
		t.Fatalf("issuer did not start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("issuer did not start in 60 s")
	}
	return ""
}

// TestRun runs every scenario briefly against a real issuer and checks the
// report: it parses (JSON and text), its counts add up, every operation
// succeeded, and the codes asked for twice did not change. No timing is
// checked: the machine is shared.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an issuer")
	}
	url := startIssuer(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-url", url, "-duration", "1s", "-c", "3", "-json"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	var rep Report
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("report is not the JSON documented: %v", err)
	}
	if len(rep.Scenarios) != len(DefaultScenarios) || rep.Conflicts != 0 || rep.Identities == 0 || rep.Codes == 0 {
		t.Fatalf("report: %+v", rep)
	}
	for i, s := range rep.Scenarios {
		if s.Name != DefaultScenarios[i] || s.Concurrency != 3 {
			t.Errorf("scenario %d is %q with %d workers", i, s.Name, s.Concurrency)
		}
		checkCounts(t, s)
	}
	// Every code issued came from one identity, and no more codes than
	// identities: asking again answers the same constancia.
	if rep.Codes > rep.Identities {
		t.Errorf("%d codes for %d identities", rep.Codes, rep.Identities)
	}
	issued := rep.Scenarios[0].Results["new"] + rep.Scenarios[1].Results["new"]
	if issued != rep.Codes {
		t.Errorf("%d new constancias, %d distinct codes", issued, rep.Codes)
	}
	checkText(t, &rep)
}

func checkCounts(t *testing.T, s Scenario) {
	t.Helper()
	sum := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	perOp := map[string]int{"request-api": 1, "request-form": 6, "verify-api": 1, "verify-page": 1}[s.Name]
	switch {
	case s.Ops == 0 || s.Errors != 0 || s.OK != s.Ops:
		t.Errorf("%s: %d ops, %d ok, %d errors %q", s.Name, s.Ops, s.OK, s.Errors, s.FirstErrors)
	case sum(s.Statuses) != s.Requests || sum(s.Results) != s.OK:
		t.Errorf("%s: statuses %v for %d requests, results %v for %d ok", s.Name, s.Statuses, s.Requests, s.Results, s.OK)
	case strings.HasPrefix(s.Name, "verify-page") && (s.Requests < s.Ops || s.Requests > s.Ops+s.Concurrency):
		t.Errorf("%s: %d requests for %d ops (one page a worker)", s.Name, s.Requests, s.Ops)
	case !strings.HasPrefix(s.Name, "verify-page") && s.Requests != perOp*s.Ops:
		t.Errorf("%s: %d requests for %d ops", s.Name, s.Requests, s.Ops)
	case s.Seconds <= 0 || s.PerSecond != float64(s.Ops)/s.Seconds:
		t.Errorf("%s: %d ops in %v s at %v/s", s.Name, s.Ops, s.Seconds, s.PerSecond)
	case !(0 < s.Latency.P50 && s.Latency.P50 <= s.Latency.P90 && s.Latency.P90 <= s.Latency.P99 && s.Latency.P99 <= s.Latency.Max):
		t.Errorf("%s: percentiles out of order: %+v", s.Name, s.Latency)
	}
	wantStatus := map[string]string{"request-api": "201", "request-form": "303", "verify-api": "200", "verify-page": "200",
		"verify-page-flood": "200"}[s.Name]
	if (s.Name == "verify-page-flood") != (s.FloodSessions > 0) {
		t.Errorf("%s: %d sessions made by the flood", s.Name, s.FloodSessions)
	}
	if s.Statuses[wantStatus] == 0 {
		t.Errorf("%s: no %s answer: %v", s.Name, wantStatus, s.Statuses)
	}
	for k := range s.Results {
		ok := map[string]bool{"new": true, "existing": true}
		if strings.HasPrefix(s.Name, "verify") {
			ok = map[string]bool{"valid": true}
		}
		if !ok[k] {
			t.Errorf("%s: result %q", s.Name, k)
		}
	}
}

// checkText reads the text report back and finds the JSON's figures.
func checkText(t *testing.T, rep *Report) {
	t.Helper()
	var b bytes.Buffer
	if err := rep.writeText(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if got := strings.Fields(lines[1]); strings.Join(got, " ") != "scenario conc secs ops ops/s p50 ms p90 ms p99 ms max ms errors answers results" {
		t.Fatalf("header %q", lines[1])
	}
	for i, s := range rep.Scenarios {
		f := strings.Fields(lines[2+i])
		if len(f) != 12 || f[0] != s.Name || f[3] != strconv.Itoa(s.Ops) || f[9] != strconv.Itoa(s.Errors) ||
			f[8] != strconv.FormatFloat(s.Latency.Max, 'f', 2, 64) || f[10] != counts(s.Statuses) {
			t.Errorf("text row %q for %+v", lines[2+i], s)
		}
	}
}

// TestDemoIdentities: the identities are exactly what the issuer's rules
// let through: every showcase case the demo expects to issue is there,
// and no student the issuer refuses.
func TestDemoIdentities(t *testing.T) {
	today := time.Date(2026, 11, 28, 12, 0, 0, 0, lima.Zone)
	ids, err := demoIdentities(today)
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]identity{}
	for _, id := range ids {
		have[id.Student.DocNumber] = id
	}
	for _, c := range g.Cases() {
		id, ok := have[c.Student.Number]
		switch c.Want {
		case synth.WantIssue, synth.WantForeignIssue:
			if !ok {
				t.Errorf("%s: student %s missing", c.Path, c.Student)
			}
		case synth.WantNoDocument, synth.WantBlocked, synth.WantNoRecords:
			if ok {
				t.Errorf("%s: student %s present", c.Path, c.Student)
			}
		case synth.WantDeceased:
			if ok && (c.Guardian.IsZero() || id.Guardian.DocNumber == c.Guardian.Number) {
				t.Errorf("%s: student %s present with %+v", c.Path, c.Student, id.Guardian)
			}
		case synth.WantMinor:
			if ok && id.Guardian == nil {
				t.Errorf("%s: a minor asks alone", c.Path)
			}
		case synth.WantNotGuardian, synth.WantMinorGuard:
			if ok && id.Guardian != nil && id.Guardian.DocNumber == c.Guardian.Number {
				t.Errorf("%s: %s asks for %s", c.Path, c.Guardian, c.Student)
			}
		}
	}
	if len(ids) < 50 {
		t.Errorf("only %d identities out of 120 students", len(ids))
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-c", "0", "-url", "http://127.0.0.1:1"}, &out, &errb); code != 1 {
		t.Errorf("-c 0: exit %d", code)
	}
	if code := run(context.Background(), []string{"extra"}, &out, &errb); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-scenarios", "nope", "-url", "http://127.0.0.1:1", "-duration", "1s"}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), `unknown scenario "nope"`) {
		t.Errorf("unknown scenario: exit %d, %s", code, errb.String())
	}
}
