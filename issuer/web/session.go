package web

import (
	"container/list"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/minedu-cla/cla/issuer/issuance"
)

// A session remembers one person's way through the request steps: the
// data typed and what the registries answered are kept for at most
// sessionTTL and dropped once the constancia is issued. On one process
// (bbolt) sessions are in its memory, and a restart loses them (the person
// starts again); with several replicas on PostgreSQL they are in the
// database, sealed (shared.go), and every replica serves every step.
type session struct {
	id, csrf     string
	expires      time.Time
	termsVersion string
	termsAt      time.Time
	form         *formView
	checked      *issuance.Checked
	issued       *doneView
	proven       bool          // its form passed the CSRF check
	el           *list.Element // in sessions.fresh or sessions.proven
}

const (
	cookieName = "cla_sesion"
	sessionTTL = 30 * time.Minute
	// Sessions are ~1 KB each. A new session waits among the fresh ones
	// until its first form passes the CSRF check; then it is proven. A
	// flood of page views only ever replaces fresh sessions, the oldest
	// first, so it never evicts a person who is filling in the form.
	maxFresh  = 50_000
	maxProven = 50_000
)

// sessions are two LRU lists (front: least recently used, so expired ones
// are found at the front) and an index: every operation is O(1), or O(k)
// for k sessions that expired. (A full sweep of 100,000 sessions under the
// lock made every new session cost milliseconds in a flood.)
type sessions struct {
	mu                  sync.Mutex
	m                   map[string]*session
	fresh, proven       *list.List // of *session
	maxFresh, maxProven int
	now                 func() time.Time
	secure              bool
	shared              *SharedSessions // nil: in memory
}

// sessionState is a session as the database keeps it (sealed).
type sessionState struct {
	TermsVersion string            `json:"terms_version,omitempty"`
	TermsAt      time.Time         `json:"terms_at,omitzero"`
	Form         *formView         `json:"form,omitempty"`
	Checked      *issuance.Checked `json:"checked,omitempty"`
	Issued       *doneView         `json:"issued,omitempty"`
	Expires      time.Time         `json:"expires"`
}

const publicKind = "public"

// getShared is get on the database. A session that holds nothing yet is
// not stored: its cookie and its token (an HMAC of the cookie) are all it
// is, so page views write nothing; the first step that changes it saves it.
func (s *sessions) getShared(w http.ResponseWriter, r *http.Request, create bool) *session {
	now := s.now()
	if c, err := r.Cookie(cookieName); err == nil && len(c.Value) == idLen {
		sess := &session{id: c.Value, csrf: s.shared.CSRF(publicKind, c.Value)}
		var st sessionState
		ok, err := s.shared.Load(r.Context(), publicKind, c.Value, now, &st)
		if ok {
			sess.termsVersion, sess.termsAt, sess.form, sess.checked, sess.issued, sess.expires =
				st.TermsVersion, st.TermsAt, st.Form, st.Checked, st.Issued, st.Expires
			if st.Expires.Sub(now) < sessionTTL/2 {
				s.save(r.Context(), sess) // sliding: kept while used
			}
		}
		if err == nil || !create {
			return sess
		}
	}
	if !create || !cookiesAccepted(r) {
		return nil
	}
	sess := &session{id: RandomID()}
	sess.csrf = s.shared.CSRF(publicKind, sess.id)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: sess.id, Path: "/", HttpOnly: true,
		Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return sess
}

// save keeps what a step changed in sess where the next request finds it
// (in memory the session is that place already).
func (s *sessions) save(ctx context.Context, sess *session) error {
	if s.shared == nil {
		return nil
	}
	sess.expires = s.now().Add(sessionTTL)
	return s.shared.Save(ctx, publicKind, sess.id, sessionState{TermsVersion: sess.termsVersion, TermsAt: sess.termsAt,
		Form: sess.form, Checked: sess.checked, Issued: sess.issued, Expires: sess.expires}, sess.expires)
}

func newSessions(now func() time.Time, secure bool) *sessions {
	return &sessions{m: map[string]*session{}, fresh: list.New(), proven: list.New(),
		maxFresh: maxFresh, maxProven: maxProven, now: now, secure: secure}
}

// idLen is the length of a RandomID.
const idLen = 32

// RandomID is 24 random bytes in base64url: session IDs and CSRF tokens.
func RandomID() string {
	b := make([]byte, 24)
	rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the request's session, or a new one (with its cookie set)
// when create is true and the person accepted cookies; nil otherwise.
func (s *sessions) get(w http.ResponseWriter, r *http.Request, create bool) *session {
	if s.shared != nil {
		return s.getShared(w, r, create)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, err := r.Cookie(cookieName); err == nil {
		if sess, ok := s.m[c.Value]; ok {
			if now.Before(sess.expires) {
				sess.expires = now.Add(sessionTTL)
				s.listOf(sess).MoveToBack(sess.el)
				return sess
			}
			s.drop(sess)
		}
	}
	if !create || !cookiesAccepted(r) {
		return nil
	}
	s.expire(s.fresh, now)
	for s.fresh.Len() >= s.maxFresh {
		s.drop(s.fresh.Front().Value.(*session))
	}
	sess := &session{id: RandomID(), csrf: RandomID(), expires: now.Add(sessionTTL)}
	sess.el = s.fresh.PushBack(sess)
	s.m[sess.id] = sess
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: sess.id, Path: "/", HttpOnly: true,
		Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return sess
}

// token is the session's CSRF token, or "" without a session.
func (sess *session) token() string {
	if sess == nil {
		return ""
	}
	return sess.csrf
}

// checkIfAny is check where no session is needed (verifying needs no
// cookie): a request without a session passes, as the same-origin check
// in the middleware already passed it; one with a session must carry its
// token.
func (s *sessions) checkIfAny(sess *session, r *http.Request) bool {
	return sess == nil || s.check(sess, r)
}

// forget drops the request's session, if any (cookies declined).
func (s *sessions) forget(r *http.Request) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return
	}
	if s.shared != nil {
		s.shared.Delete(r.Context(), publicKind, c.Value)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.m[c.Value]; ok {
		s.drop(sess)
	}
}

// check compares the form's token with the session's in constant time;
// a session whose form passes is proven (see maxFresh).
func (s *sessions) check(sess *session, r *http.Request) bool {
	if sess == nil || subtle.ConstantTimeCompare([]byte(sess.csrf), []byte(r.PostFormValue("csrf"))) != 1 {
		return false
	}
	if s.shared != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess.proven || s.m[sess.id] != sess {
		return true
	}
	s.fresh.Remove(sess.el)
	s.expire(s.proven, s.now())
	for s.proven.Len() >= s.maxProven {
		s.drop(s.proven.Front().Value.(*session))
	}
	sess.proven, sess.el = true, s.proven.PushBack(sess)
	return true
}

func (s *sessions) listOf(sess *session) *list.List {
	if sess.proven {
		return s.proven
	}
	return s.fresh
}

// expire drops the expired sessions at the front of l.
func (s *sessions) expire(l *list.List, now time.Time) {
	for e := l.Front(); e != nil && !now.Before(e.Value.(*session).expires); e = l.Front() {
		s.drop(e.Value.(*session))
	}
}

func (s *sessions) drop(sess *session) {
	s.listOf(sess).Remove(sess.el)
	delete(s.m, sess.id)
}
