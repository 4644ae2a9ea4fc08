package web_test

import (
	"context"
	"crypto/rand"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/webtest"

	"github.com/minedu-cla/cla/issuer/web"

	"github.com/minedu-cla/cla/issuer/web/api"
)

var now = time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)

type harness struct {
	srv  *httptest.Server
	gen  *synth.Generator
	svc  *issuance.Service
	mu   sync.Mutex
	skew time.Duration // how far this harness's clock is past now (advance)
}

// advance moves this harness's clock forward.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.skew += d
}

func newHarness(t testing.TB, limits web.Limits, opts ...func(*web.Deps)) *harness {
	t.Helper()
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{gen: g}
	clock := func() time.Time {
		h.mu.Lock()
		defer h.mu.Unlock()
		return now.Add(h.skew)
	}
	k, err := keys.Open(keys.Options{Dir: t.TempDir(), Dev: true, Now: clock, Rand: rand.Reader,
		KDF: keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	st := store.NewMemory()
	rl := revocation.New(revocation.Options{Store: st, Size: status.MinBits, Signer: k.MustSigner, Now: clock, Rand: rand.Reader})
	if err := rl.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.svc = &issuance.Service{Identity: g, Records: g, Store: st, Keys: k, Status: rl, Secret: []byte("s"),
		Issuer: "MINEDU", Now: clock, Rand: rand.Reader,
		Render: func(rec *credential.Record, qr string, doc []byte) ([]byte, error) {
			return append([]byte("%PDF-"), qr...), nil
		}}
	cat, err := ubigeo.LoadFS(demo.Ubigeo())
	if err != nil {
		t.Fatal(err)
	}
	d := web.Deps{Service: h.svc, Keys: k, Status: rl, Catalogue: cat, Limits: limits,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock, Areas: []web.Area{api.Mount}}
	for _, o := range opts {
		o(&d)
	}
	handler, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(handler)
	t.Cleanup(h.srv.Close)
	return h
}

type browser = webtest.Browser

func (h *harness) browser(t testing.TB) *browser { return webtest.NewBrowser(t, h.srv.URL) }

var (
	csrf      = webtest.CSRF
	csrfForm  = webtest.CSRFForm
	must      = webtest.Body
	alertText = webtest.AlertText
)

// start accepts the terms and returns the form's CSRF token.
func start(b *browser) string {
	_, page, _ := b.Get("/solicitar")
	tok := csrf(b.T, page)
	code, _, hdr := b.Post("/solicitar/terminos", url.Values{"csrf": {tok}, "accept": {web.TermsVersion}})
	if code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar/datos" {
		b.T.Fatalf("terms: %d %s", code, hdr.Get("Location"))
	}
	return tok
}

// formFor fills the form as a careful person would for a demo case.
func formFor(t testing.TB, g *synth.Generator, c synth.Case, tok string) url.Values {
	v := url.Values{"csrf": {tok}, "who": {"adult"}, "email": {"familia@example.pe"}}
	fill := func(prefix string, doc idnum.Doc) {
		v.Set(prefix+"_doctype", doc.Kind.String())
		v.Set(prefix+"_doc", doc.Number)
		if doc.Kind == idnum.KindStudentCode {
			return
		}
		p, err := g.Person(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		v.Set(prefix+"_father", strings.ToLower(p.Father.Names)) // case and accents do not matter
		v.Set(prefix+"_mother", p.Mother.Names)
		v.Set(prefix+"_dist", string(p.Ubigeo))
	}
	fill("student", c.Student)
	if !c.Guardian.IsZero() {
		v.Set("who", "guardian")
		fill("guardian", c.Guardian)
	}
	return v
}

func TestRequestFlowEveryDemoCase(t *testing.T) {
	h := newHarness(t, web.Limits{})
	issued := map[string]bool{synth.WantIssue: true, synth.WantForeignIssue: true}
	for _, c := range h.gen.Cases() {
		t.Run(c.Path, func(t *testing.T) {
			b := h.browser(t)
			tok := start(b)
			form := formFor(t, h.gen, c, tok)
			if c.Want == synth.WantMismatch {
				form.Set("student_dist", "150101")
			}
			code, page, hdr := b.Post("/solicitar/datos", form)
			if !issued[c.Want] {
				if code == http.StatusSeeOther {
					t.Fatalf("%s: accepted, want refusal (%s)", c.Path, c.Want)
				}
				if !strings.Contains(page, `role="alert"`) {
					t.Fatalf("%s: no alert on the refusal page", c.Path)
				}
				return
			}
			if code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar/vista-previa" {
				t.Fatalf("form: %d; page: %s", code, alertText(page))
			}
			_, page, _ = b.Get("/solicitar/vista-previa")
			if !strings.Contains(page, "familia@example.pe") || !strings.Contains(page, "<table>") {
				t.Fatal("preview lacks the e-mail or the years")
			}
			code, _, hdr = b.Post("/solicitar/emitir", url.Values{"csrf": {tok}})
			if code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar/listo" {
				t.Fatalf("issue: %d", code)
			}
			_, page, _ = b.Get("/solicitar/listo")
			m := regexp.MustCompile(`class="code"[^>]*>([0-9A-Z-]{16})<`).FindStringSubmatch(page)
			if m == nil {
				t.Fatal("done page shows no code")
			}
			// The code verifies on the verify page and over the API.
			vtok := csrf(t, must(b.Get("/verificar")))
			_, res, _ := b.Post("/verificar", url.Values{"csrf": {vtok}, "codigo": {strings.ToLower(m[1])}})
			if !strings.Contains(res, "VÁLIDA") {
				t.Fatalf("verify page: %s", alertText(res))
			}
			st, pdf, hd := b.Get("/verificar/" + m[1] + "/pdf")
			if st != 200 || !strings.HasPrefix(pdf, "%PDF-CLA1:") || hd.Get("Content-Type") != "application/pdf" {
				t.Fatalf("pdf download: %d %s", st, hd.Get("Content-Type"))
			}
		})
	}
}

func TestFormErrorsKeepWhatWasTyped(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	tok := start(b)
	code, page, _ := b.Post("/solicitar/datos", url.Values{"csrf": {tok}, "who": {"adult"},
		"student_doctype": {"DNI"}, "student_doc": {"1234"}, "student_father": {"JUAN <b>"}, "email": {"no-es-correo"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"El DNI tiene 8 dígitos", "Escriba un correo electrónico válido", "Elija departamento",
		`value="1234"`, `value="JUAN &lt;b&gt;"`, `value="no-es-correo"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "JUAN <b>") {
		t.Error("typed markup reflected unescaped")
	}
}

func TestNoJavaScriptPickers(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	tok := start(b)
	// Choosing a department with the "Elegir" button lists its provinces.
	_, page, _ := b.Post("/solicitar/datos", url.Values{"csrf": {tok}, "pick": {"student"}, "student_dep": {"110000"}})
	if !strings.Contains(page, `<option value="110100"`) {
		t.Fatal("provinces of department 11 not listed after Elegir")
	}
	_, page, _ = b.Post("/solicitar/datos", url.Values{"csrf": {tok}, "pick": {"student"}, "student_dep": {"110000"}, "student_prov": {"110100"}})
	if !strings.Contains(page, `<option value="110101"`) {
		t.Fatal("districts not listed after choosing a province")
	}
}

func TestCSRFAndStepOrder(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	b.Get("/solicitar")
	if code, _, _ := b.Post("/solicitar/terminos", url.Values{"accept": {web.TermsVersion}}); code != http.StatusForbidden {
		t.Fatalf("terms without token: %d", code)
	}
	// Skipping the terms sends people back.
	fresh := h.browser(t)
	if code, _, hdr := fresh.Get("/solicitar/datos"); code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar" {
		t.Fatalf("form before terms: %d %s", code, hdr.Get("Location"))
	}
	tok := start(b)
	if code, _, _ := b.Post("/solicitar/datos", url.Values{"csrf": {tok + "x"}}); code != http.StatusForbidden {
		t.Fatalf("wrong token: %d", code)
	}
	if code, _, hdr := b.Post("/solicitar/emitir", url.Values{"csrf": {tok}}); code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar/datos" {
		t.Fatalf("issue before checking: %d %s", code, hdr.Get("Location"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, web.Limits{})
	_, _, hdr := h.browser(t).Get("/solicitar")
	for k, want := range map[string]string{"Content-Security-Policy": "script-src 'self'", "X-Frame-Options": "DENY",
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if !strings.Contains(hdr.Get(k), want) {
			t.Errorf("%s = %q", k, hdr.Get(k))
		}
	}
	c := hdr.Get("Set-Cookie")
	if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") {
		t.Errorf("session cookie %q", c)
	}
}

func TestRateLimits(t *testing.T) {
	h := newHarness(t, web.Limits{ChecksPerMinute: 2, ChecksBurst: 2, FailsPerDocHour: 100, FailsPerHour: 100, LookupsPerMinute: 3, LookupsBurst: 3})
	b := h.browser(t)
	tok := start(b)
	form := url.Values{"csrf": {tok}, "who": {"adult"}, "student_doctype": {"DNI"}, "student_doc": {"12345678"},
		"student_dist": {"110101"}, "email": {"a@example.pe"}}
	codes := []int{}
	var page string
	var hdr http.Header
	for range 3 {
		code, body, h := b.Post("/solicitar/datos", form)
		codes, page, hdr = append(codes, code), body, h
	}
	if codes[2] != http.StatusTooManyRequests {
		t.Fatalf("third identity check in a minute: %v", codes)
	}
	// The page says the real wait (one check in 30 s: "1 minutos"), and so
	// does Retry-After.
	if want := i18n.T(i18n.ES, "web.err.ratelimit.wait", 1); !strings.Contains(page, want) || hdr.Get("Retry-After") != "30" {
		t.Errorf("third check: Retry-After %q, page %q", hdr.Get("Retry-After"), webtest.AlertText(page))
	}
	for i := range 4 {
		code, _, _ := b.Get("/api/v1/constancias/7K3M-9QXT-2HBN-M")
		if (i < 3) != (code != http.StatusTooManyRequests) {
			t.Fatalf("lookup %d: %d", i, code)
		}
	}
}

func TestLanguages(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	for _, c := range []struct{ lang, want string }{{"es", "Solicitar constancia"}, {"en", "Request a constancia"}, {"qu", "Constanciata mañakuy"}} {
		lang, want := c.lang, c.want
		_, page, _ := b.Get("/?lang=" + lang)
		if !strings.Contains(page, want) || !strings.Contains(page, `<html lang="`+lang+`">`) {
			t.Errorf("%s: page lacks %q", lang, want)
		}
	}
	// The choice sticks (cookie).
	_, page, _ := b.Get("/verificar")
	if !strings.Contains(page, "Constanciata chiqaqchay") {
		t.Error("language choice not remembered")
	}
}

var _ = registry.ErrNotFound

// TestRegenerateCode: the holder asks again, after the same identity
// check, for a new code; the old code then reads revoked.
func TestRegenerateCode(t *testing.T) {
	h := newHarness(t, web.Limits{})
	c := h.gen.Cases()[0]
	codeRE := regexp.MustCompile(`class="code"[^>]*>([0-9A-Z-]{16})<`)
	issuedOnce := false
	issue := func(regen bool) (string, string) {
		b := h.browser(t)
		tok := start(b)
		if code, _, _ := b.Post("/solicitar/datos", formFor(t, h.gen, c, tok)); code != http.StatusSeeOther {
			t.Fatalf("form: %d", code)
		}
		// A new code and QR are offered only to a holder of one.
		_, preview, _ := b.Get("/solicitar/vista-previa")
		if offered := strings.Contains(preview, `name="regenerar"`); offered != issuedOnce {
			t.Fatalf("preview offers a new code: %v, a constancia exists: %v", offered, issuedOnce)
		}
		issuedOnce = true
		form := url.Values{"csrf": {tok}}
		if regen {
			form.Set("regenerar", "1")
		}
		if code, _, _ := b.Post("/solicitar/emitir", form); code != http.StatusSeeOther {
			t.Fatalf("issue: %d", code)
		}
		_, page, _ := b.Get("/solicitar/listo")
		m := codeRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no code on the done page")
		}
		return m[1], alertText(page) + page
	}
	first, _ := issue(false)
	same, page := issue(false)
	if same != first || !strings.Contains(page, "Ya tenía una constancia") {
		t.Fatalf("asking again without regenerating gave %s (first %s)", same, first)
	}
	fresh, page := issue(true)
	if fresh == first || !strings.Contains(page, "código y un QR nuevos") {
		t.Fatalf("regenerate: %s (first %s)", fresh, first)
	}
	b := h.browser(t)
	vtok := csrf(t, must(b.Get("/verificar")))
	_, old, _ := b.Post("/verificar", url.Values{"csrf": {vtok}, "codigo": {first}})
	if strings.Contains(old, "VÁLIDA") {
		t.Fatal("the old code still verifies as valid")
	}
	_, res, _ := b.Post("/verificar", url.Values{"csrf": {vtok}, "codigo": {fresh}})
	if !strings.Contains(res, "VÁLIDA") {
		t.Fatal("the new code does not verify")
	}
	// A code that is not valid tells its status and date, nothing about
	// the person: not the name, not the document, not the years.
	person, err := h.gen.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	name, doc := person.Surname1, c.Student.Number
	if !strings.Contains(res, doc) {
		t.Fatalf("the valid result does not show the document %s", doc)
	}
	if !strings.Contains(old, first) {
		t.Errorf("the revoked result does not show its code")
	}
	if strings.Contains(old, name) || strings.Contains(old, doc) || strings.Contains(old, "<td>20") {
		t.Errorf("the revoked result shows the person:\n%s", alertText(old))
	}
	for code, wantStudent := range map[string]bool{first: false, fresh: true} {
		_, body, _ := b.Get("/api/v1/constancias/" + code)
		if got := strings.Contains(body, `"student"`); got != wantStudent || (!wantStudent && strings.Contains(body, doc)) {
			t.Errorf("API for %s: student shown %v, want %v: %s", code, got, wantStudent, body)
		}
	}
}

// TestCrossOriginRefused: a form posted from another site is refused
// before any handler runs, even with a valid session and CSRF token (the
// token is the first guard, the browser's Origin the second); the same
// form from this site, or from a client that sends no Origin, works.
// /static/ lists no directories.
func TestCrossOriginRefused(t *testing.T) {
	h := newHarness(t, web.Limits{}, func(d *web.Deps) { d.TrustedProxies = web.Loopback })
	b := h.browser(t)
	tok := start(b)
	form := url.Values{"csrf": {tok}, "who": {"adult"}, "student_doctype": {"DNI"}, "student_doc": {"12345678"},
		"student_dist": {"110101"}, "email": {"a@example.pe"}}
	post := func(hdr map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/solicitar/datos", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := b.C.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	host := strings.TrimPrefix(h.srv.URL, "http://")
	for _, tc := range []struct {
		name    string
		hdr     map[string]string
		refused bool
	}{
		{"another site's Origin", map[string]string{"Origin": "https://evil.example"}, true},
		{"Origin null (a sandboxed frame)", map[string]string{"Origin": "null"}, true},
		{"cross-site by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "cross-site"}, true},
		{"this site's Origin", map[string]string{"Origin": h.srv.URL}, false},
		{"the public name, from the trusted proxy", map[string]string{"Origin": "https://cla.example.pe", "X-Forwarded-Host": "cla.example.pe"}, false},
		{"no Origin (a script)", nil, false},
		{"same-origin by Sec-Fetch-Site", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://" + host}, false},
	} {
		if got := post(tc.hdr); (got == http.StatusForbidden) != tc.refused {
			t.Errorf("%s: %d", tc.name, got)
		}
	}
	for _, p := range []string{"/static/", "/static/i18n/", "/static/../", "/static/style.css/"} {
		if st, _, _ := b.Get(p); st == http.StatusOK {
			t.Errorf("GET %s: %d, a listing", p, st)
		}
	}
	if st, _, _ := b.Get("/static/style.css"); st != http.StatusOK {
		t.Errorf("GET /static/style.css: %d", st)
	}
}

// TestDocumentErrorsSayWhatIsWrong: an empty DNI and a DNI whose check
// character does not match got the same message ("El DNI tiene 8
// dígitos…"); each now says what is wrong, and a malformed one keeps the
// format message.
func TestDocumentErrorsSayWhatIsWrong(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	tok := start(b)
	for doc, key := range map[string]string{"": "web.err.doc.empty", "10117410-3": "web.err.doc.check", "1011741": "web.err.doc.DNI"} {
		form := url.Values{"csrf": {tok}, "who": {"adult"}, "student_doctype": {"DNI"}, "student_doc": {doc},
			"student_dist": {"110101"}, "email": {"a@example.pe"}}
		_, page, _ := b.Post("/solicitar/datos", form)
		if want := i18n.T(i18n.ES, key); !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("DNI %q: want %q, page says %q", doc, want, webtest.AlertText(page))
		}
	}
}

// TestSpanishFirst: the ministry's links (/request, /validate, in its
// Spanish text) open the Spanish service whatever the browser's language
// (an English Chromium got the English terms); a browser preferring
// English or Quechua is offered it, in that language, until a choice is
// made; the API keeps Accept-Language.
func TestSpanishFirst(t *testing.T) {
	h := newHarness(t, web.Limits{})
	get := func(b *webtest.Browser, path, accept string) string {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+path, nil)
		req.Header.Set("Accept-Language", accept)
		resp, err := b.C.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	for _, path := range []string{"/request", "/validate", "/solicitar", "/verificar", "/"} {
		page := get(h.browser(t), path, "en-US,en;q=0.9")
		if !strings.Contains(page, `<html lang="es"`) || !strings.Contains(page, i18n.T(i18n.EN, "web.lang.suggest")) {
			t.Errorf("%s with an English browser: not Spanish with an English offer", path)
		}
	}
	if page := get(h.browser(t), "/request", "qu,es;q=0.5"); !strings.Contains(page, i18n.T(i18n.QU, "web.lang.suggest")) {
		t.Error("a Quechua browser is not offered Quechua")
	}
	if page := get(h.browser(t), "/request", "es-PE,es;q=0.9,en;q=0.8"); strings.Contains(page, `class="suggest"`) {
		t.Error("a Spanish browser is offered another language")
	}
	b := h.browser(t)
	get(b, "/request?lang=en", "en-US")
	if page := get(b, "/verificar", "en-US"); !strings.Contains(page, `<html lang="en"`) || strings.Contains(page, `class="suggest"`) {
		t.Error("the choice of English is not kept, or English is still offered")
	}
	if lang := web.APILang(httptest.NewRequest(http.MethodGet, "/api/v1/constancias/X", nil)); lang != i18n.ES {
		t.Errorf("API default %s", lang)
	}
	r := httptest.NewRequest(http.MethodGet, "/api/v1/constancias/X", nil)
	r.Header.Set("Accept-Language", "fr, en;q=0.8, es;q=0.7")
	if lang := web.APILang(r); lang != i18n.EN {
		t.Errorf("API with en preferred over es: %s", lang)
	}
}

// TestQuechuaIsQuechua: no public page's text is the Spanish text in the
// Quechua catalogue ("Documento", "Correo electrónico" and "Departamento"
// were), except names that are the same in both.
func TestQuechuaIsQuechua(t *testing.T) {
	same := map[string]bool{"web.step.done": true} // "Constancia": the document's name
	cat, err := i18n.Catalog(i18n.ES)
	if err != nil {
		t.Fatal(err)
	}
	for key := range cat {
		if !strings.HasPrefix(key, "web.") || same[key] {
			continue
		}
		es, qu := i18n.T(i18n.ES, key), i18n.T(i18n.QU, key)
		if es == qu && strings.ContainsFunc(es, unicode.IsLetter) && len(es) > 3 {
			t.Errorf("%s is Spanish in Quechua: %q", key, qu)
		}
	}
}

// TestGuardianBlockWithoutScript: without JavaScript the server hides the
// guardian's block once the student's own request was chosen, and shows
// it for a guardian's (asking for its fields).
func TestGuardianBlockWithoutScript(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	tok := start(b)
	_, first, _ := b.Get("/solicitar/datos")
	if strings.Contains(first, `id="guardian-block" hidden`) || strings.Contains(first, " checked") {
		t.Error("the first form assumes who asks, or hides the guardian's part from a browser without JavaScript")
	}
	for who, hidden := range map[string]bool{"adult": true, "guardian": false, "": true} { // none: the student's own
		_, page, _ := b.Post("/solicitar/datos", url.Values{"csrf": {tok}, "who": {who}, "student_doctype": {"DNI"}})
		if got := strings.Contains(page, `id="guardian-block" hidden`); got != hidden {
			t.Errorf("who=%q: guardian block hidden %v, want %v", who, got, hidden)
		}
	}
}
