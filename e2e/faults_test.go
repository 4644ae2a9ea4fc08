package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/minedu-cla/cla/crypto/vcode"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// The fault tests (issue 8, item 3): the issuer killed in the middle of a
// burst of requests, registries that are slow, failing or down, and an
// SMTP server that is down when the constancia is issued. Each drives the
// real binaries over loopback and checks outcomes: codes, the store, the
// audit trail, the mail outbox or an SMTP server's mailbox.

// burstSize is how many distinct students ask at once in
// TestFaultKillMidBurst: every issuable adult of the demo population (32).
const burstSize = 32

// TestFaultKillMidBurst SIGKILLs the issuer while a burst of requests is
// in flight, restarts it on the same data, and checks that nothing a client
// was told survives only in the client: every received code verifies
// online and offline, the store and audit trail are consistent, and every
// constancia's e-mail reaches the outbox.
func TestFaultKillMidBurst(t *testing.T) {
	skipShort(t)
	data := t.TempDir()
	g := Population(t)
	cases := faultAdults(t, g, burstSize)
	if len(cases) < 16 {
		t.Fatalf("only %d issuable adults in the demo population", len(cases))
	}
	env := []string{"CLA_RATE_LIMITS=off"}
	iss := StartIssuer(t, data, "", env...)

	type result struct {
		i      int
		status int
		out    Issued
		body   []byte
		err    error
	}
	emailOf := func(i int) string { return fmt.Sprintf("alumno%02d@example.pe", i) }
	results := make(chan result, len(cases))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range cases {
		body := RequestBody(t, g, c, emailOf(i))
		wg.Go(func() {
			<-start
			st, out, raw, err := faultPost(iss.URL, body)
			results <- result{i, st, out, raw, err}
		})
	}
	close(start)
	// Kill once a quarter of the answers are in: the rest are in flight,
	// some already committed, some mid-PDF, some mid-queue.
	killAt := len(cases) / 4
	var got []result
	for len(got) < killAt {
		got = append(got, <-results)
	}
	iss.Kill(t)
	wg.Wait()
	close(results)
	for r := range results {
		got = append(got, r)
	}

	received := map[string]int{} // canonical code -> request index
	inFlight := 0
	for _, r := range got {
		switch {
		case r.err != nil:
			inFlight++ // the connection died with the issuer
		case r.status == http.StatusCreated:
			if r.out.Existing || r.out.Status != "valid" {
				t.Errorf("request %d: a first request answered %+v", r.i, r.out)
			}
			code := faultCanonical(t, r.out.Code)
			if j, dup := received[code]; dup {
				t.Errorf("requests %d and %d got the same code %s", j, r.i, r.out.Code)
			}
			received[code] = r.i
		default:
			t.Errorf("request %d: %d %s", r.i, r.status, r.body)
		}
	}
	t.Logf("burst of %d requests: %d codes received, %d cut off by SIGKILL", len(cases), len(received), inFlight)
	if len(received) < killAt {
		t.Fatalf("only %d codes received before the kill (want ≥ %d)", len(received), killAt)
	}
	if inFlight == 0 {
		t.Fatalf("every request had its answer before the kill: the fault was not exercised")
	}

	// Restart on the same data: the e-mails are in the outbox with their
	// constancias (one transaction), and the deliverer sends them.
	iss = StartIssuer(t, data, "", env...)
	outbox := filepath.Join(data, "mail", "outbox")
	mailed := func() map[string][]faultMail {
		by := map[string][]faultMail{}
		for _, m := range faultReadOutbox(t, outbox) {
			by[m.Code] = append(by[m.Code], m)
		}
		return by
	}
	// The deliverer sends at once after a start; the deadline only bounds
	// a broken run.
	if !faultWait(2*time.Minute, func() bool {
		by := mailed()
		for code := range received {
			if len(by[code]) == 0 {
				return false
			}
		}
		return faultOutboxEmpty(iss.URL)
	}) {
		t.Error("after 2 min: e-mails still waiting in the database's outbox (/healthz)")
	}
	by := mailed()
	for code, i := range received {
		switch ms := by[code]; {
		case len(ms) == 0:
			t.Errorf("code %s (request %d): no e-mail in the outbox", code, i)
		case ms[0].To != emailOf(i):
			t.Errorf("code %s: e-mailed to %s, want %s", code, ms[0].To, emailOf(i))
		}
	}

	codes := make([]string, 0, len(received))
	for code := range received {
		codes = append(codes, code)
		if st, status, err := faultLookup(iss.URL, code); err != nil || st != http.StatusOK || status != "valid" {
			t.Errorf("GET /api/v1/constancias/%s after the restart: %d %q %v", code, st, status, err)
		}
	}
	verified := faultVerifyPDFs(t, iss.URL, data, codes)
	for _, code := range codes {
		sts := verified[code]
		if len(sts) == 0 {
			t.Errorf("cla-verify found no result for %s", code)
		}
		for _, s := range sts {
			if s != "valid" {
				t.Errorf("cla-verify: %s is %s", code, s)
			}
		}
	}
	iss.Stop(t)

	if code, out, errOut := Run(t, nil, "cla-issuer", "audit", "check", "-data", data); code != 0 {
		t.Errorf("audit check after the crash: exit %d\n%s%s", code, out, errOut)
	}
	st := faultReadStore(t, data)
	seen := map[string]int{}
	index := map[uint64]string{}
	student := map[string]string{}
	for _, c := range st.Constancias {
		seen[c.Code]++
		if other, dup := index[c.StatusIndex]; dup {
			t.Errorf("constancias %s and %s share status index %d", other, c.Code, c.StatusIndex)
		}
		index[c.StatusIndex] = c.Code
		if other, dup := student[c.StudentKey]; dup {
			t.Errorf("one request per student, yet %s and %s are the same student's", other, c.Code)
		}
		student[c.StudentKey] = c.Code
		if c.State != "active" || c.Version != 1 {
			t.Errorf("constancia %s: state %s version %d", c.Code, c.State, c.Version)
		}
		// The documented repair: a constancia stored before the crash
		// has its e-mail after the restart, even if no client heard of it.
		if len(by[c.Code]) == 0 {
			t.Errorf("stored constancia %s (no client told) has no e-mail", c.Code)
		}
	}
	for code := range received {
		if seen[code] != 1 {
			t.Errorf("received code %s is stored %d times", code, seen[code])
		}
	}
	if len(st.Constancias) > len(cases) {
		t.Errorf("%d constancias stored for %d requests", len(st.Constancias), len(cases))
	}
	if st.Mails != 0 {
		t.Errorf("%d e-mails left in the outbox after the restart", st.Mails)
	}
	t.Logf("stored after the restart: %d constancias (%d received by clients, %d committed but unanswered); outbox: %d .eml",
		len(st.Constancias), len(received), len(st.Constancias)-len(received), faultCountFiles(t, outbox, "*.eml"))
}

// TestFaultRegistries points the issuer at cla-registry-sim and makes the
// registries slow, failing and down in turn: each request is refused with
// the documented 503 and nothing is stored or e-mailed; once the registries
// are back, the same request issues.
func TestFaultRegistries(t *testing.T) {
	skipShort(t)
	data := t.TempDir()
	g := Population(t)
	c := faultAdults(t, g, 1)[0]
	body := RequestBody(t, g, c, "registros@example.pe")
	regAddr := freeAddr(t)
	reg := "http://" + regAddr
	env := []string{"CLA_RATE_LIMITS=off", "CLA_RENIEC_URL=" + reg + "/reniec",
		"CLA_MIGRACIONES_URL=" + reg + "/migraciones", "CLA_SIAGIE_URL=" + reg + "/siagie"}
	iss := StartIssuer(t, data, "", env...)
	wantMsg := i18n.T(i18n.ES, "web.refusal.unavailable")

	refused := func(name string) {
		t.Helper()
		began := time.Now()
		st, _, raw, err := faultPost(iss.URL, body)
		took := time.Since(began)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var e faultAPIError
		if err := faultJSON(raw, &e); err != nil {
			t.Errorf("%s: body is not the JSON error: %v\n%s", name, err, raw)
		}
		if st != http.StatusServiceUnavailable || e.Error.Code != "unavailable" || e.Error.Message != wantMsg {
			t.Errorf("%s: %d %s (want 503, code unavailable, message %q)", name, st, raw, wantMsg)
		}
		t.Logf("%s: %d %q after %v", name, st, e.Error.Code, took.Round(time.Millisecond))
	}
	lookups := func(s *faultSim) int { return strings.Count(s.Out.String(), "path=/reniec/v1/persona") }
	// docs/REGISTRIES.md: 3 attempts for timeouts and 5xx; RENIEC fails
	// first, so SIAGIE is never asked.
	attempts := func(s *faultSim, name string) {
		t.Helper()
		if n, m := lookups(s), strings.Count(s.Out.String(), "path=/siagie/"); n != 3 || m != 0 {
			t.Errorf("%s: the issuer asked RENIEC %d times and SIAGIE %d times, want 3 and 0\n%s", name, n, m, s.Out)
		} else {
			t.Logf("%s: RENIEC asked %d times", name, n)
		}
	}

	// Down: nothing listens on the registries' address.
	refused("down (no simulator)")

	// Slow: every lookup takes 5 s, above the client's 3 s an attempt. Had
	// the issuer waited, the simulator would have answered 200 and the
	// constancia been issued: the 503 shows each attempt was abandoned.
	// (The simulator only logs a lookup when its 5 s are over, so wait for
	// the last one before stopping it.)
	sim := faultStartSim(t, regAddr, "-latency", "5s")
	refused("slow (5 s a lookup)")
	faultWait(30*time.Second, func() bool { return lookups(sim) >= 3 })
	sim.stop()
	attempts(sim, "slow")

	// Failing: every lookup 503 (with Retry-After: 1).
	sim = faultStartSim(t, regAddr, "-error-rate", "1")
	refused("failing (error rate 1)")
	sim.stop()
	attempts(sim, "failing")

	// Outage: the simulator answers 503 to everything until switched on.
	sim = faultStartSim(t, regAddr, "-outage")
	refused("outage")
	faultFormRefused(t, iss.URL, g, c, wantMsg)

	// Nothing was issued, stored or e-mailed.
	iss.Stop(t)
	if st := faultReadStore(t, data); len(st.Constancias) != 0 || st.Mails != 0 {
		t.Errorf("after refusals: %d constancias and %d e-mails stored", len(st.Constancias), st.Mails)
	}
	if n := faultCountFiles(t, filepath.Join(data, "mail", "outbox"), "*"); n != 0 {
		t.Errorf("after refusals: %d files in the outbox folder", n)
	}

	// Recovery: the same request issues.
	iss = StartIssuer(t, data, "", env...)
	sim.setOutage(t, false)
	st, out, raw, err := faultPost(iss.URL, body)
	if err != nil || st != http.StatusCreated || out.Existing || out.Status != "valid" {
		t.Fatalf("after recovery: %d %s %v", st, raw, err)
	}
	code := faultCanonical(t, out.Code)
	outbox := filepath.Join(data, "mail", "outbox")
	if !faultWait(time.Minute, func() bool { return len(faultReadOutbox(t, outbox)) > 0 }) {
		t.Errorf("after recovery: no e-mail in a minute")
	}
	if ms := faultReadOutbox(t, outbox); len(ms) != 1 || ms[0].Code != code || ms[0].To != "registros@example.pe" {
		t.Errorf("after recovery: outbox %+v, want one e-mail of %s", ms, code)
	}
	iss.Stop(t)
	if st := faultReadStore(t, data); len(st.Constancias) != 1 || st.Constancias[0].Code != code {
		t.Errorf("after recovery: %d constancias stored, want only %s", len(st.Constancias), code)
	}
}

// faultFormRefused walks the HTML request flow as a browser does (terms,
// then the form) and checks that the form comes back with 503 and says,
// in Spanish, that the services do not answer.
func faultFormRefused(t *testing.T, base string, g *synth.Generator, c synth.Case, wantMsg string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	if u, err := url.Parse(base); err == nil { // a person who accepted the site's cookies
		jar.SetCookies(u, []*http.Cookie{{Name: "cla_cookies", Value: "si", Path: "/"}})
	}
	cl := &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodGet {
			resp, err = cl.Get(base + path)
		} else {
			resp, err = cl.PostForm(base+path, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	st, page := do(http.MethodGet, "/solicitar", nil)
	m := csrfRE.FindStringSubmatch(page)
	if st != http.StatusOK || m == nil {
		t.Fatalf("GET /solicitar: %d, CSRF token found: %t", st, m != nil)
	}
	if st, _ = do(http.MethodPost, "/solicitar/terminos", url.Values{"csrf": {m[1]}, "accept": {termsVersion}}); st != http.StatusSeeOther {
		t.Fatalf("accepting the terms: %d", st)
	}
	p, err := g.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	st, page = do(http.MethodPost, "/solicitar/datos", url.Values{"csrf": {m[1]}, "who": {"adult"},
		"student_doctype": {c.Student.Kind.String()}, "student_doc": {c.Student.Number},
		"student_father": {p.Father.Names}, "student_mother": {p.Mother.Names},
		"student_dist": {string(p.Ubigeo)}, "email": {"registros@example.pe"}})
	if st != http.StatusServiceUnavailable || !strings.Contains(page, html.EscapeString(wantMsg)) {
		t.Errorf("form with the registries down: %d, Spanish message shown: %t", st, strings.Contains(page, html.EscapeString(wantMsg)))
	}
}

// faultJSON decodes one JSON value strictly: no unknown fields.
func faultJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// TestFaultSMTPDown issues a constancia while the SMTP server is down: the
// request still succeeds, the e-mail waits in the outbox, and once a
// server listens on the port the deliverer sends it.
func TestFaultSMTPDown(t *testing.T) {
	skipShort(t)
	data := t.TempDir()
	g := Population(t)
	smtpAddr := freeAddr(t) // nothing listens here until the server starts
	_, port, _ := net.SplitHostPort(smtpAddr)
	iss := StartIssuer(t, data, "", "CLA_SMTP_HOST=127.0.0.1", "CLA_SMTP_PORT="+port, "CLA_SMTP_TLS=none")
	const email = "correo.caido@example.pe"
	began := time.Now()
	st, out, raw, err := faultPost(iss.URL, RequestBody(t, g, faultAdults(t, g, 1)[0], email))
	if err != nil || st != http.StatusCreated {
		t.Fatalf("request with the SMTP server down: %d %s %v", st, raw, err)
	}
	code := faultCanonical(t, out.Code)

	// The first delivery fails (connection refused) and pauses the queue.
	pauseRE := regexp.MustCompile(`mail server unavailable; pausing deliveries.* pause=(\S+)`)
	var pause time.Duration
	if !faultWait(time.Minute, func() bool { return pauseRE.MatchString(iss.Out.String()) }) {
		t.Fatalf("no delivery failure logged in a minute:\n%s", iss.Out)
	}
	failedAt := time.Now()
	pause, err = time.ParseDuration(pauseRE.FindStringSubmatch(iss.Out.String())[1])
	if err != nil {
		t.Fatal(err)
	}
	// docs/MAIL.md: the first pause is 30 s scaled by [0.8, 1.2).
	if pause < 24*time.Second || pause >= 36*time.Second {
		t.Errorf("first pause %v, documented 30 s ±20 %%", pause)
	}
	if faultOutboxEmpty(iss.URL) {
		t.Error("while the server is down: the outbox is empty, want the e-mail waiting")
	}

	srv := faultStartSMTP(t, smtpAddr)
	if !faultWait(pause+2*time.Minute, func() bool { return len(srv.Messages()) > 0 }) {
		t.Fatalf("no message delivered within %v of the server coming up", pause+2*time.Minute)
	}
	msgs := srv.Messages()
	t.Logf("delivered %v after the request, %v after the failure was logged (logged pause %v)",
		msgs[0].At.Sub(began).Round(time.Millisecond), msgs[0].At.Sub(failedAt).Round(time.Millisecond), pause.Round(time.Millisecond))
	if !faultWait(time.Minute, func() bool { return faultOutboxEmpty(iss.URL) }) {
		t.Errorf("delivered, yet still in the outbox after a minute")
	}
	msgs = srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages delivered, want 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != email {
		t.Errorf("RCPT %v, want %s", m.To, email)
	}
	got, err := faultParseMail(m.Data)
	if err != nil {
		t.Fatal(err)
	}
	if got.To != email || got.Code != code {
		t.Errorf("message to %s about %q, want %s about %s (subject %q)", got.To, got.Code, email, code, got.Subject)
	}
	// The attachment is named with the code as printed (with dashes).
	if printed := vcode.Format(code); !strings.Contains(string(m.Data), "constancia-"+printed+".pdf") {
		t.Errorf("no PDF attachment named constancia-%s.pdf", printed)
	}
	if n := faultCountFiles(t, filepath.Join(data, "mail", "outbox"), "*"); n != 0 {
		t.Errorf("%d files in the outbox with SMTP configured", n)
	}
	var health struct {
		Mail struct {
			Sent, Failures, Queued int
		} `json:"mail"`
	}
	if err := json.Unmarshal(Fetch(t, iss.URL+"/healthz"), &health); err != nil {
		t.Fatal(err)
	}
	if health.Mail.Sent != 1 || health.Mail.Failures < 1 || health.Mail.Queued != 0 {
		t.Errorf("healthz mail: %+v, want sent 1, failures ≥ 1, queued 0", health.Mail)
	}
	t.Logf("SMTP sessions %d, healthz mail %+v", srv.Sessions(), health.Mail)
	iss.Stop(t)
}
