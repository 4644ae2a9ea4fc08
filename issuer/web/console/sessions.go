package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/web"
)

// staffSessions are the signed-in staff: in this process's memory (one
// issuer on bbolt), or in the database, sealed, when the site's sessions
// are shared by replicas (web.SharedSessions). Shared, a session records
// a fingerprint of the account (password, second factor, role, enabled)
// as it was at sign-in; a session whose account changed since ends at its
// next request on whatever replica, which is how a disabled account or a
// new password signs its holder out everywhere.
type staffSessions struct {
	mu     sync.Mutex
	m      map[string]*staffSession
	shared *web.SharedSessions
	swept  time.Time // shared: the last sweep of expired sessions
}

const staffKind = "staff"

// staffState is a staff session as the database keeps it (sealed).
type staffState struct {
	User    string        `json:"user"`
	Role    staff.Role    `json:"role"`
	Account string        `json:"account"`
	Started time.Time     `json:"started"`
	Last    time.Time     `json:"last"`
	Pending *pendingState `json:"pending,omitempty"`
}

type pendingState struct {
	ID    string            `json:"id"`
	Path  string            `json:"path"`
	Form  url.Values        `json:"form"`
	Files map[string][]byte `json:"files,omitempty"`
	At    time.Time         `json:"at"`
}

// fingerprint names the state of an account that a session depends on.
func fingerprint(u *staff.User) string {
	h := sha256.New()
	h.Write(u.Hash)
	h.Write([]byte{0})
	h.Write([]byte(u.TOTP))
	h.Write([]byte{0})
	h.Write([]byte(u.Role))
	if u.Disabled {
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func (ss *staffSession) state() staffState {
	st := staffState{User: ss.user, Role: ss.role, Account: ss.account, Started: ss.started, Last: ss.last}
	if p := ss.pending; p != nil {
		st.Pending = &pendingState{ID: p.id, Path: p.path, Form: p.form, Files: p.files, At: p.at}
	}
	return st
}

func (st *staffState) session(id, csrf string) *staffSession {
	ss := &staffSession{id: id, csrf: csrf, user: st.User, role: st.Role, account: st.Account, started: st.Started, last: st.Last}
	if p := st.Pending; p != nil {
		ss.pending = &pendingAction{id: p.ID, path: p.Path, form: p.Form, files: p.Files, at: p.At}
	}
	return ss
}

// add keeps a new session.
func (s *staffSessions) add(ctx context.Context, ss *staffSession) error {
	if s.shared != nil {
		return s.save(ctx, ss)
	}
	s.mu.Lock()
	s.m[ss.id] = ss
	s.mu.Unlock()
	return nil
}

// save keeps what changed in a session (its last use, a pending action):
// the database's copy; in memory the session is its own.
func (s *staffSessions) save(ctx context.Context, ss *staffSession) error {
	if s.shared == nil {
		return nil
	}
	return s.shared.Save(ctx, staffKind, ss.id, ss.state(), ss.endsAt())
}

// lookup returns the live session of cookie, or nil.
func (s *staffSessions) lookup(ctx context.Context, cookie string, now time.Time) (*staffSession, error) {
	if s.shared == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.m[cookie], nil
	}
	var st staffState
	ok, err := s.shared.Load(ctx, staffKind, cookie, now, &st)
	if !ok || err != nil {
		return nil, err
	}
	return st.session(cookie, s.shared.CSRF(staffKind, cookie)), nil
}

// remove ends a session.
func (s *staffSessions) remove(ctx context.Context, ss *staffSession) {
	if s.shared != nil {
		s.shared.Delete(ctx, staffKind, ss.id)
		return
	}
	s.mu.Lock()
	delete(s.m, ss.id)
	s.mu.Unlock()
}

// expired removes and returns the sessions that have ended by now, so
// their end can be written to the audit trail. Shared, a sweep runs at
// most every half minute in a replica, and each ended session reaches
// one replica's trail.
func (s *staffSessions) expired(ctx context.Context, now time.Time) []*staffSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*staffSession
	if s.shared != nil {
		if now.Sub(s.swept) < 30*time.Second {
			return nil
		}
		s.swept = now
		s.shared.Sweep(ctx, staffKind, now, func(open func(any) bool) {
			var st staffState
			if open(&st) {
				out = append(out, st.session("", ""))
			}
		})
		return out
	}
	for id, ss := range s.m {
		if !now.Before(ss.endsAt()) {
			delete(s.m, id)
			out = append(out, ss)
		}
	}
	return out
}

// newStaffSession makes a session for user (its cookie and token).
func (s *staffSessions) newStaffSession(user *staff.User, now time.Time) *staffSession {
	ss := &staffSession{id: web.RandomID(), user: user.Name, role: user.Role, account: fingerprint(user), started: now, last: now}
	if s.shared != nil {
		ss.csrf = s.shared.CSRF(staffKind, ss.id)
	} else {
		ss.csrf = web.RandomID()
	}
	return ss
}

// current checks a shared session's account: changed since the sign-in
// (disabled, a new password or second factor, another role), the session
// ends. In memory endSessionsOf ends them at the change.
func (s *server) current(r *http.Request, ss *staffSession) bool {
	if s.staff.shared == nil {
		return true
	}
	u, err := s.Accounts.Get(r.Context(), ss.user)
	if err == nil && fingerprint(u) == ss.account {
		return true
	}
	s.staff.remove(context.WithoutCancel(r.Context()), ss)
	if err == nil {
		s.audit(r.Context(), ss, "session_ended", "", "reason", "account_changed")
	}
	return false
}
