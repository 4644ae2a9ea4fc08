// Package manage is what the issuer's staff do to issued constancias and
// keys, each action and its audit entry committed together: revoke and
// restore, reissue, rectify, key rotation and compromise (with a mass
// reissue that survives a restart), and the data-subject requests of Ley
// 29733 (rectification, cancellation, opposition, consent withdrawal).
//
// Roles are checked by the caller (the admin console); this package
// trusts its Actor.
package manage

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Actor is who acts: a staff user and the role they act in.
type Actor = issuance.Actor

// System is the issuer acting on its own (a resumed job).
var System = Actor{User: audit.System}

// Errors a staff member can cause.
var (
	// ErrNotFound: no such constancia or request (store.ErrNotFound, for
	// callers that reach the store only through the Manager).
	ErrNotFound = store.ErrNotFound
	// ErrState: the action does not apply to the constancia's state
	// (revoking a revoked one, restoring a superseded one…).
	ErrState = errors.New("manage: not possible in the constancia's current state")
	// ErrReason: a revocation needs a reason.
	ErrReason = errors.New("manage: a reason is required")
)

// Manager runs the staff's actions.
type Manager struct {
	Service *issuance.Service
	Store   store.Store
	Keys    *keys.Keys
	Status  *revocation.List
	// Secret is the issuer's HMAC secret (audit.Subject, store.StudentKey).
	Secret []byte
	Now    func() time.Time
	Log    *slog.Logger
	// Overlap is how long the old key waits for its retirement after a
	// rotation's switch (default DefaultOverlap).
	Overlap time.Duration

	jobs sync.Map // running job IDs
	wg   sync.WaitGroup
	once sync.Once
	base context.Context // the jobs' context; Close cancels it
	stop context.CancelFunc
}

func (m *Manager) background() context.Context {
	m.once.Do(func() { m.base, m.stop = context.WithCancel(context.Background()) })
	return m.base
}

// Close stops the running jobs (they resume at the next start, where they
// stopped) and waits for them.
func (m *Manager) Close() {
	m.background()
	m.stop()
	m.wg.Wait()
}

// entry is an audit entry by a now.
func (m *Manager) entry(a Actor, action audit.Action, target string, details ...string) audit.Entry {
	e := audit.Entry{Time: m.Now(), Actor: a.User, Role: a.Role, Action: action, Target: target}
	if len(details) > 0 {
		e.Details = map[string]string{}
		for i := 0; i+1 < len(details); i += 2 {
			e.Details[details[i]] = details[i+1]
		}
	}
	return e
}

// Record appends an entry in its own transaction (for actions that have
// no transaction of their own: a login, a page view of personal data).
func (m *Manager) Record(ctx context.Context, a Actor, action audit.Action, target string, details ...string) error {
	return m.Store.Update(ctx, func(tx store.Tx) error {
		_, err := audit.Append(tx, m.entry(a, action, target, details...))
		return err
	})
}

// IssuanceEvent is the issuance service's Auditor: every issuance,
// resend, regeneration, reissue and rectification is written in the
// transaction that made it, by its actor, naming the student by
// audit.Subject.
func (m *Manager) IssuanceEvent(tx store.Tx, e issuance.Event) error {
	c := e.New
	details := []string{"id", strconv.FormatUint(c.ID, 10), "kid", hexKid(c.KeyID), "version", strconv.Itoa(c.Version),
		"subject", m.SubjectOf(c)}
	action := audit.Issue
	switch e.Kind {
	case issuance.KindResend:
		action = audit.Resend
	case issuance.KindRegenerate, issuance.KindReissue, issuance.KindRectify:
		action = audit.Reissue
		details = append(details, "cause", string(e.Kind))
		if e.Old != nil {
			details = append(details, "old", e.Old.Code)
		}
	}
	_, err := audit.Append(tx, m.entry(e.By, action, c.Code, details...))
	return err
}

// SubjectOf is the audit trail's name for a constancia's student.
func (m *Manager) SubjectOf(c *constancia.Issued) string {
	kind := idnum.KindDNI
	if c.Student.DocType == credential.CE {
		kind = idnum.KindCE
	}
	return audit.Subject(m.Secret, kind.String(), c.Student.DocNumber)
}

// Find looks a constancia up by virtual code, or, given a DNI or carné de
// extranjería number (a registrar serving the holder in person), finds the
// holder's newest constancia. It does not audit: the caller records what
// it shows (the console's constancia page records each view).
func (m *Manager) Find(ctx context.Context, query string) (*constancia.Issued, error) {
	query = strings.TrimSpace(query)
	var c *constancia.Issued
	err := m.Store.View(ctx, func(tx store.Tx) error {
		if code, err := vcode.Normalize(query); err == nil {
			var e error
			c, e = tx.ByCode(code)
			return e
		}
		for _, kind := range []idnum.Kind{idnum.KindDNI, idnum.KindCE} {
			doc, err := idnum.Parse(kind, query)
			if err != nil {
				continue
			}
			if found, err := tx.ByStudent(store.StudentKey(m.Secret, doc.Kind.String(), doc.Number)); err == nil {
				c = found
				return nil
			}
		}
		return store.ErrNotFound
	})
	return c, err
}

// QuerySubject is what the audit trail records of a Find query: the
// normalised code when it is one, else the audit.Subject of the DNI or CE
// it parses as (never the number itself); both empty for anything else.
func (m *Manager) QuerySubject(query string) (code, subject string) {
	query = strings.TrimSpace(query)
	if c, err := vcode.Normalize(query); err == nil {
		return c, ""
	}
	for _, kind := range []idnum.Kind{idnum.KindDNI, idnum.KindCE} {
		if doc, err := idnum.Parse(kind, query); err == nil {
			return "", audit.Subject(m.Secret, doc.Kind.String(), doc.Number)
		}
	}
	return "", ""
}

// Get returns constancia id (no audit: the caller just showed it).
func (m *Manager) Get(ctx context.Context, id uint64) (*constancia.Issued, error) {
	var c *constancia.Issued
	err := m.Store.View(ctx, func(tx store.Tx) (err error) {
		c, err = tx.Constancia(id)
		return err
	})
	return c, err
}

// Versions returns every version of the student of c, oldest first.
func (m *Manager) Versions(ctx context.Context, c *constancia.Issued) ([]*constancia.Issued, error) {
	var out []*constancia.Issued
	err := m.Store.View(ctx, func(tx store.Tx) error {
		var err error
		out, err = tx.Versions(c.StudentKey)
		return err
	})
	return out, err
}

// Revoke revokes constancia id with a reason (kept on the issuer, never
// published): its bit is set and the next status list seq is signed in
// the same transaction, with the audit entry. It returns the new seq.
func (m *Manager) Revoke(ctx context.Context, a Actor, id uint64, reason string) (uint64, error) {
	return m.setRevoked(ctx, a, id, reason, true)
}

// Restore undoes a revocation (admins only, by the caller's check): the
// constancia must be revoked, not superseded or cancelled, and still its
// student's newest version.
func (m *Manager) Restore(ctx context.Context, a Actor, id uint64, why string) (uint64, error) {
	return m.setRevoked(ctx, a, id, why, false)
}

// setRevoked revokes or restores constancia id, its status bit, the
// signed list and the audit entry in one transaction.
func (m *Manager) setRevoked(ctx context.Context, a Actor, id uint64, reason string, revoke bool) (uint64, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return 0, ErrReason
	}
	var seq uint64
	err := m.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.Constancia(id)
		if err != nil {
			return err
		}
		newest, err := tx.ByStudent(c.StudentKey)
		if err != nil {
			return err
		}
		action := audit.Revoke
		switch {
		case revoke && c.State != constancia.Active, !revoke && (c.State != constancia.Revoked || newest.ID != c.ID):
			return ErrState
		case revoke:
			c.State, c.Reason = constancia.Revoked, reason
		default:
			c.State, c.Reason, action = constancia.Active, "", audit.Unrevoke
		}
		c.ChangedAt = m.Now().UTC()
		if err := tx.PutConstancia(c); err != nil {
			return err
		}
		if err := m.Status.Set(tx, revoke, c.StatusIndex); err != nil {
			return err
		}
		if seq, err = statusSeq(tx); err != nil {
			return err
		}
		_, err = audit.Append(tx, m.entry(a, action, c.Code, "reason", reason, "seq", strconv.FormatUint(seq, 10)))
		return err
	})
	return seq, err
}

// Reissue replaces constancia id by a new version under a new code (the
// holder is e-mailed); the audit entry names a as the actor.
func (m *Manager) Reissue(ctx context.Context, a Actor, id uint64, reason string) (*constancia.Issued, error) {
	out, err := m.Service.Reissue(ctx, a, id, reason)
	if out == nil {
		return nil, err
	}
	return out.Constancia, err
}

func statusSeq(tx store.Tx) (uint64, error) {
	st, err := tx.Status()
	if err != nil {
		return 0, err
	}
	return st.Seq, nil
}

func hexKid(kid []byte) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 2*len(kid))
	for _, c := range kid {
		b = append(b, digits[c>>4], digits[c&15])
	}
	return string(b)
}
