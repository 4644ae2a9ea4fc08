package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minedu-cla/cla/i18n"
)

// Cookies: the platform's terms ask the person to accept cookies on the
// request and verify services, so none is set before they do. Until then
// no session exists (the request steps, which need one, say so and offer
// to accept) and a language choice travels in the links (Page.Carry).
// Verifying by code or file needs no cookie at all: those forms work
// without a session, guarded by the same-origin check every POST passes.
// Accepting is remembered for a year (consentCookie); declining cannot be
// remembered without a cookie, so it travels in the links as ?cookies=no
// for the visit, and the notice asks again on a later visit.
const (
	consentCookie = "cla_cookies"
	langCookie    = "cla_idioma"
	consentYes    = "si"
	declined      = "no"
	cookieYear    = 365 * 24 * time.Hour
)

// cookiesAccepted reports whether the person accepted the site's cookies.
func cookiesAccepted(r *http.Request) bool {
	c, err := r.Cookie(consentCookie)
	return err == nil && c.Value == consentYes
}

// cookieState is "si" (accepted), "no" (declined on this visit) or ""
// (not asked yet: the pages show the notice).
func cookieState(r *http.Request) string {
	switch {
	case cookiesAccepted(r):
		return consentYes
	case r.URL.Query().Get("cookies") == declined:
		return declined
	}
	return ""
}

// carry is the query the pages' own links and forms keep when no cookie
// can remember it: the language chosen, and a refusal of cookies.
func carry(r *http.Request) string {
	if cookiesAccepted(r) {
		return ""
	}
	q := url.Values{}
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		q.Set("lang", string(l))
	}
	if r.URL.Query().Get("cookies") == declined {
		q.Set("cookies", declined)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// backPaths are the pages the cookie notice returns to; any other path
// (a result page, a POST) returns to its service's first page.
var backPaths = map[string]string{
	"/": "/", "/solicitar": "/solicitar", "/request": "/solicitar", "/verificar": "/verificar",
	"/validate": "/verificar", "/privacidad": "/privacidad", "/verificar/archivo": "/verificar",
}

func backPath(p string) string {
	if b, ok := backPaths[p]; ok {
		return b
	}
	if strings.HasPrefix(p, "/solicitar/") {
		return "/solicitar"
	}
	return "/"
}

// postCookies records the person's choice from the notice (a plain form:
// no JavaScript needed) and returns to the page it was shown on. Accepting
// sets the consent cookie (and the language cookie, if one was chosen);
// declining deletes every cookie of the site and drops any session.
func (s *Server) postCookies(w http.ResponseWriter, r *http.Request) {
	back := backPath(r.PostFormValue("volver"))
	q := url.Values{}
	l, chosen := i18n.Parse(r.PostFormValue("lang"))
	secure := s.SecureCookies || r.TLS != nil
	switch r.PostFormValue("cookies") {
	case consentYes:
		http.SetCookie(w, &http.Cookie{Name: consentCookie, Value: consentYes, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, MaxAge: int(cookieYear / time.Second), Secure: secure})
		if chosen {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, MaxAge: int(cookieYear / time.Second), Secure: secure})
		}
	case declined:
		s.sess.forget(r)
		for _, name := range []string{consentCookie, langCookie, cookieName} {
			if _, err := r.Cookie(name); err == nil {
				http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure})
			}
		}
		q.Set("cookies", declined)
		if chosen {
			q.Set("lang", string(l))
		}
	default:
		s.Fail(w, r, http.StatusBadRequest, "web.err.cookies")
		return
	}
	u := url.URL{Path: back, RawQuery: q.Encode()}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
