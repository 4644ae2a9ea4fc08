package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/webtest"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/web"
)

// issueOne takes a demo case through the request pages and returns the
// code on the done page.
func issueOne(t *testing.T, h *harness) string {
	t.Helper()
	b := h.browser(t)
	tok := start(b)
	for _, c := range h.gen.Cases() {
		if c.Want != synth.WantIssue {
			continue
		}
		if code, page, _ := b.Post("/solicitar/datos", formFor(t, h.gen, c, tok)); code != http.StatusSeeOther {
			t.Fatalf("form: %d %s", code, alertText(page))
		}
		if code, _, _ := b.Post("/solicitar/emitir", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("issue: %d", code)
		}
		m := regexp.MustCompile(`class="code"[^>]*>([0-9A-Z-]{16})<`).FindStringSubmatch(must(b.Get("/solicitar/listo")))
		if m == nil {
			t.Fatal("done page shows no code")
		}
		return m[1]
	}
	t.Fatal("no demo case to issue")
	return ""
}

// noCookie fails when a response set any cookie.
func noCookie(t *testing.T, what string, hdr http.Header) {
	t.Helper()
	if c := hdr.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s set a cookie before the person accepted: %q", what, c)
	}
}

// TestNoCookieBeforeConsent: the terms ask the person to accept cookies
// on the request and verify services, so no page sets one before they
// accept; every public page says so and offers the choice (a plain
// form); a stranger who never answers, or declines, still verifies a
// constancia by its code, in the language they chose, without a cookie.
func TestNoCookieBeforeConsent(t *testing.T) {
	h := newHarness(t, web.Limits{})
	code := issueOne(t, h)
	for _, path := range []string{"/", "/solicitar", "/request", "/verificar", "/validate", "/privacidad",
		"/?lang=en", "/solicitar?lang=qu", "/verificar?lang=en", "/verificar?codigo=" + code,
		"/solicitar/datos", "/solicitar/vista-previa", "/solicitar/listo", "/privacidad?version=2026-11"} {
		s := webtest.NewStranger(t, h.srv.URL)
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+path, nil)
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		resp, err := s.C.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		noCookie(t, "GET "+path, resp.Header)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	// Each service shows the notice; the request page asks for cookies
	// in place of the accept box, which needs a session.
	s := webtest.NewStranger(t, h.srv.URL)
	for _, path := range []string{"/", "/verificar", "/solicitar", "/privacidad"} {
		_, page, _ := s.Get(path)
		if !strings.Contains(page, `action="/cookies"`) || !strings.Contains(page, `value="si"`) || !strings.Contains(page, `value="no"`) {
			t.Errorf("%s: no cookie choice on the page", path)
		}
	}
	if _, page, _ := s.Get("/solicitar"); strings.Contains(page, `name="accept"`) ||
		!strings.Contains(page, i18n.T(i18n.ES, "web.cookies.request")) {
		t.Error("/solicitar offers the terms box without a session, or does not say why cookies are needed")
	}

	// Verifying by code without a cookie, in English chosen by a link.
	st, page, hdr := s.Get("/verificar?lang=en")
	noCookie(t, "GET /verificar?lang=en", hdr)
	if st != http.StatusOK || !strings.Contains(page, `action="/verificar?lang=en"`) || !strings.Contains(page, `href="/solicitar?lang=en"`) {
		t.Fatalf("the English choice does not travel in the links: %d", st)
	}
	st, page, hdr = s.Post("/verificar?lang=en", url.Values{"codigo": {code}})
	noCookie(t, "POST /verificar", hdr)
	if st != http.StatusOK || !strings.Contains(page, i18n.T(i18n.EN, "status.valid")) || !strings.Contains(page, `<html lang="en"`) {
		t.Fatalf("a stranger verifying by code: %d %s", st, alertText(page))
	}
	// An upload without a cookie is read, not refused as a forgery.
	if st, page := s.PostFile("/verificar/archivo", nil, "archivo", "foto.png", []byte("no es una imagen")); st == http.StatusForbidden ||
		!strings.Contains(page, `role="alert"`) {
		t.Errorf("a cookieless upload: %d", st)
	}

	// Declining: back to the page, nothing stored, and the page says how
	// to go on (verify without cookies; ask the school for a constancia).
	st, _, hdr = s.Post("/cookies", url.Values{"cookies": {"no"}, "volver": {"/request"}, "lang": {"en"}})
	noCookie(t, "declining", hdr)
	if loc := hdr.Get("Location"); st != http.StatusSeeOther || loc != "/solicitar?cookies=no&lang=en" {
		t.Fatalf("declining: %d %q", st, loc)
	}
	st, page, hdr = s.Get("/solicitar?cookies=no&lang=en")
	noCookie(t, "GET after declining", hdr)
	if !strings.Contains(page, i18n.T(i18n.EN, "web.cookies.request.declined")) || !strings.Contains(page, `href="/verificar?cookies=no&amp;lang=en"`) {
		t.Errorf("after declining, the request page does not say how to go on: %d", st)
	}
	if _, page, _ := s.Get("/verificar?cookies=no"); strings.Contains(page, `class="cookie-notice"`) ||
		!strings.Contains(page, i18n.T(i18n.ES, "web.cookies.verify.declined")) {
		t.Error("after declining, the verify page asks again or does not say verifying works")
	}

	// Accepting: the consent cookie for a year, the language chosen, and
	// from then on the session the request steps need.
	st, _, hdr = s.Post("/cookies", url.Values{"cookies": {"si"}, "volver": {"/solicitar"}, "lang": {"qu"}})
	if st != http.StatusSeeOther || hdr.Get("Location") != "/solicitar" {
		t.Fatalf("accepting: %d %q", st, hdr.Get("Location"))
	}
	set := strings.Join(hdr.Values("Set-Cookie"), "\n")
	if !regexp.MustCompile(`cla_cookies=si; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`).MatchString(set) ||
		!strings.Contains(set, "cla_idioma=qu") {
		t.Fatalf("accepting set %q", set)
	}
	_, page, hdr = s.Get("/solicitar")
	if !strings.Contains(hdr.Get("Set-Cookie"), "cla_sesion=") || !strings.Contains(page, `name="accept"`) ||
		!strings.Contains(page, `<html lang="qu"`) || strings.Contains(page, `class="cookie-notice"`) {
		t.Fatal("after accepting: no session, no terms box, language lost, or the notice still shows")
	}
	tok := csrf(t, page)
	if st, _, hdr := s.Post("/solicitar/terminos", url.Values{"csrf": {tok}, "accept": {web.TermsVersion}}); st != http.StatusSeeOther ||
		hdr.Get("Location") != "/solicitar/datos" {
		t.Fatalf("terms after accepting cookies: %d", st)
	}

	// Withdrawing on the privacy page deletes every cookie and ends the
	// session on the server: its token no longer moves a request on.
	u, _ := url.Parse(h.srv.URL)
	var sessID string
	for _, c := range s.C.Jar.Cookies(u) {
		if c.Name == "cla_sesion" {
			sessID = c.Value
		}
	}
	st, _, hdr = s.Post("/cookies", url.Values{"cookies": {"no"}, "volver": {"/privacidad"}})
	set = strings.Join(hdr.Values("Set-Cookie"), "\n")
	for _, name := range []string{"cla_cookies", "cla_idioma", "cla_sesion"} {
		if !regexp.MustCompile(name + `=; Path=/; Max-Age=0`).MatchString(set) {
			t.Errorf("withdrawing did not delete %s: %q", name, set)
		}
	}
	if st != http.StatusSeeOther {
		t.Fatalf("withdrawing: %d", st)
	}
	old := webtest.NewBrowser(t, h.srv.URL) // a copy of the deleted session cookie, replayed
	old.C.Jar.SetCookies(u, []*http.Cookie{{Name: "cla_sesion", Value: sessID}})
	if st, _, hdr := old.Post("/solicitar/datos", url.Values{"csrf": {tok}}); st != http.StatusSeeOther || hdr.Get("Location") != "/solicitar" {
		t.Errorf("a withdrawn session still moves a request on: %d %q", st, hdr.Get("Location"))
	}
}

// TestCookieChoiceAttacks: what a stranger tried against the notice.
func TestCookieChoiceAttacks(t *testing.T) {
	h := newHarness(t, web.Limits{})
	s := webtest.NewStranger(t, h.srv.URL)
	for _, back := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/admin/usuarios", ""} {
		st, _, hdr := s.Post("/cookies", url.Values{"cookies": {"no"}, "volver": {back}})
		if loc := hdr.Get("Location"); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/?") {
			t.Errorf("volver=%q sent the person to %q (%d)", back, loc, st)
		}
	}
	if st, _, hdr := s.Post("/cookies", url.Values{"cookies": {"quizás"}}); st != http.StatusBadRequest || len(hdr.Values("Set-Cookie")) > 0 {
		t.Errorf("an unknown choice: %d", st)
	}
	// Another site cannot accept cookies on someone's behalf.
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/cookies", strings.NewReader("cookies=si&volver=/"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := s.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(resp.Header.Values("Set-Cookie")) > 0 {
		t.Errorf("a cross-site POST /cookies: %d %q", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	// A forged consent value is not consent.
	u, _ := url.Parse(h.srv.URL)
	s.C.Jar.SetCookies(u, []*http.Cookie{{Name: "cla_cookies", Value: "1"}})
	_, _, hdr := s.Get("/solicitar")
	noCookie(t, "GET /solicitar with cla_cookies=1", hdr)
}
