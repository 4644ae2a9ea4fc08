package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/minedu-cla/cla/issuer/issuance"
)

// A session remembers one person's way through the request steps, in
// memory only: the data typed and what the registries answered stay on
// this server for at most sessionTTL and are dropped once the constancia is
// issued. A restart loses sessions; the person starts again.
type session struct {
	id, csrf     string
	expires      time.Time
	termsVersion string
	termsAt      time.Time
	form         *formView
	checked      *issuance.Checked
	issued       *doneView
}

const (
	cookieName  = "cla_sesion"
	sessionTTL  = 30 * time.Minute
	maxSessions = 100_000 // ~1 KB each: a flood costs at most ~100 MB
)

type sessions struct {
	mu     sync.Mutex
	m      map[string]*session
	now    func() time.Time
	secure bool
}

func newSessions(now func() time.Time, secure bool) *sessions {
	return &sessions{m: map[string]*session{}, now: now, secure: secure}
}

// RandomID is 24 random bytes in base64url: session IDs and CSRF tokens.
func RandomID() string {
	b := make([]byte, 24)
	rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the request's session, or a new one (with its cookie set)
// when create is true; nil otherwise.
func (s *sessions) get(w http.ResponseWriter, r *http.Request, create bool) *session {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie(cookieName); err == nil {
		if sess, ok := s.m[c.Value]; ok && now.Before(sess.expires) {
			sess.expires = now.Add(sessionTTL)
			return sess
		}
	}
	if !create {
		return nil
	}
	if len(s.m) >= maxSessions {
		s.sweep(now)
	}
	sess := &session{id: RandomID(), csrf: RandomID(), expires: now.Add(sessionTTL)}
	s.m[sess.id] = sess
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: sess.id, Path: "/", HttpOnly: true,
		Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return sess
}

// sweep drops expired sessions, then the oldest if still full.
func (s *sessions) sweep(now time.Time) {
	var oldest *session
	for id, sess := range s.m {
		if now.After(sess.expires) {
			delete(s.m, id)
		} else if oldest == nil || sess.expires.Before(oldest.expires) {
			oldest = sess
		}
	}
	if len(s.m) >= maxSessions && oldest != nil {
		delete(s.m, oldest.id)
	}
}

// CheckCSRF compares the form's token with the session's in constant time.
func CheckCSRF(sess *session, r *http.Request) bool {
	return sess != nil && subtle.ConstantTimeCompare([]byte(sess.csrf), []byte(r.PostFormValue("csrf"))) == 1
}
