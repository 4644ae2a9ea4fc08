package manage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/lima"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Kind is a data-subject request (Ley 29733, arts. 20–22; its regulation,
// arts. 59–71).
type Kind string

// Kinds.
const (
	// Access: the holder asks for everything stored about them (art. 19):
	// answered with AccessReport, a printable page and a file.
	Access Kind = "acceso"
	// Rectification: the registries were corrected; re-read them, issue a
	// new version, revoke the old one.
	Rectification Kind = "rectificacion"
	// Cancellation: remove the stored personal data; keep only the
	// revoked status bit and an audit entry without personal data.
	Cancellation Kind = "cancelacion"
	// Opposition: the holder objects to processing beyond the constancia
	// itself: their e-mail is deleted and the constancia leaves the
	// statistics; it stays valid.
	Opposition Kind = "oposicion"
	// Withdrawal: the holder withdraws the consent given when asking: the
	// constancia is revoked, the e-mail deleted, and it leaves the
	// statistics. (To have the data itself removed: Cancellation.)
	Withdrawal Kind = "retiro_consentimiento"
)

// Kinds lists the kinds in the order the console offers them.
var Kinds = []Kind{Access, Rectification, Cancellation, Opposition, Withdrawal}

// Valid reports whether k is a kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// DeadlineDays is the time to answer a request, as the platform's terms
// say: "ocho (08) días contados desde el día siguiente de la presentación
// de la solicitud" — day one is the day after receipt, in Peru, and the
// answer is due by the end of day eight. Calendar days: stricter than
// working days, so a request shown on time is on time under either count.
const DeadlineDays = 8

// DueFor is the deadline of a request received at t: the end (in Lima) of
// the eighth day after the day of receipt.
func DueFor(t time.Time) time.Time {
	y, m, d := t.In(lima.Zone).Date()
	return time.Date(y, m, d+DeadlineDays+1, 0, 0, 0, 0, lima.Zone).Add(-time.Nanosecond)
}

// RequestState is where a request stands.
type RequestState string

// Request states.
const (
	Open     RequestState = "open"
	Done     RequestState = "done"
	Rejected RequestState = "rejected"
)

// Request is one data-subject request. It holds no personal data: the
// constancia's code and ID, and the student as audit.Subject (cleared
// once a cancellation is done).
type Request struct {
	ID           string       `json:"id"` // "S-000001"
	Kind         Kind         `json:"kind"`
	Code         string       `json:"code"`
	ConstanciaID uint64       `json:"constancia_id"`
	Subject      string       `json:"subject,omitempty"`
	Channel      string       `json:"channel"` // in person, mail, e-mail
	Note         string       `json:"note,omitempty"`
	Received     time.Time    `json:"received"`
	Due          time.Time    `json:"due"`
	State        RequestState `json:"state"`
	OpenedBy     string       `json:"opened_by"`
	ClosedBy     string       `json:"closed_by,omitempty"`
	Closed       time.Time    `json:"closed,omitzero"`
	Outcome      string       `json:"outcome,omitempty"`
	NewCode      string       `json:"new_code,omitempty"`
}

// Overdue reports whether the request is open past its deadline at now.
func (r *Request) Overdue(now time.Time) bool { return r.State == Open && now.After(r.Due) }

// DaysLeft is the whole days left to the deadline (negative: overdue).
func (r *Request) DaysLeft(now time.Time) int {
	d := r.Due.Sub(now)
	if d < 0 {
		return -int((-d + 24*time.Hour - 1) / (24 * time.Hour))
	}
	return int(d / (24 * time.Hour))
}

// Errors of requests.
var (
	ErrKind    = errors.New("manage: unknown kind of request")
	ErrClosed  = errors.New("manage: the request is closed")
	ErrNote    = errors.New("manage: the note is too long")
	ErrChannel = errors.New("manage: unknown channel")
)

// Channels a request may come by.
var Channels = []string{"presencial", "mesa_de_partes", "correo"}

// MaxNote caps a request's note.
const MaxNote = 500

const (
	dsrPrefix = "dsr/"
	dsrSeq    = "dsr-seq"
)

// OpenRequest records a request about the constancia with code (or the
// holder's DNI, as Find takes), received now, and audits it.
func (m *Manager) OpenRequest(ctx context.Context, a Actor, kind Kind, query, channel, note string) (*Request, error) {
	if !kind.Valid() {
		return nil, ErrKind
	}
	if !validChannel(channel) {
		return nil, ErrChannel
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return nil, ErrNote
	}
	c, err := m.Find(ctx, query)
	if err != nil {
		return nil, err
	}
	now := m.Now().UTC()
	r := &Request{Kind: kind, Code: c.Code, ConstanciaID: c.ID, Subject: m.SubjectOf(c), Channel: channel,
		Note: note, Received: now, Due: DueFor(now), State: Open, OpenedBy: a.User}
	err = m.Store.Update(ctx, func(tx store.Tx) error {
		n := uint64(0)
		if b, err := tx.Meta(dsrSeq); err == nil {
			n, _ = strconv.ParseUint(string(b), 10, 64)
		}
		n++
		r.ID = fmt.Sprintf("S-%06d", n)
		if err := tx.PutMeta(dsrSeq, []byte(strconv.FormatUint(n, 10))); err != nil {
			return err
		}
		if err := putRequest(tx, r); err != nil {
			return err
		}
		_, err := audit.Append(tx, m.entry(a, audit.DSROpen, r.ID, "kind", string(kind), "subject", r.Subject,
			"code", r.Code))
		return err
	})
	return r, err
}

func validChannel(c string) bool {
	for _, v := range Channels {
		if c == v {
			return true
		}
	}
	return false
}

func putRequest(tx store.Tx, r *Request) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.PutMeta(dsrPrefix+r.ID, b)
}

func getRequest(tx store.Tx, id string) (*Request, error) {
	b, err := tx.Meta(dsrPrefix + id)
	if err != nil {
		return nil, err
	}
	r := &Request{}
	return r, json.Unmarshal(b, r)
}

// GetRequest returns request id.
func (m *Manager) GetRequest(ctx context.Context, id string) (*Request, error) {
	var r *Request
	err := m.Store.View(ctx, func(tx store.Tx) (err error) {
		r, err = getRequest(tx, id)
		return err
	})
	return r, err
}

// Requests lists the requests: open ones first by deadline, then closed
// ones newest first.
func (m *Manager) Requests(ctx context.Context) ([]*Request, error) {
	var out []*Request
	err := m.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEachMeta(dsrPrefix, func(_ string, v []byte) error {
			r := &Request{}
			if err := json.Unmarshal(v, r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.State == Open) != (b.State == Open) {
			return a.State == Open
		}
		if a.State == Open {
			return a.Due.Before(b.Due)
		}
		return a.Closed.After(b.Closed)
	})
	return out, err
}

// Answer carries a request out, as its kind says, and closes it. For a
// rectification whose registries did not change it returns
// issuance.ErrUnchanged and leaves the request open (the school must
// correct SIAGIE first, or the registrar rejects the request).
func (m *Manager) Answer(ctx context.Context, a Actor, id string) (*Request, error) {
	r, err := m.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.State != Open {
		return nil, ErrClosed
	}
	outcome := ""
	switch r.Kind {
	case Access:
		outcome = "access_given" // the report: AccessReport, printed or downloaded from the console
	case Rectification:
		out, err := m.Service.Rectify(ctx, a, r.ConstanciaID)
		if out == nil {
			return nil, err
		}
		r.NewCode, outcome = out.Constancia.Code, "reissued"
	case Cancellation:
		if err := m.cancel(ctx, a, r); err != nil {
			return nil, err
		}
		return r, nil
	case Opposition:
		outcome = "email_deleted_statistics_excluded"
		err = m.strip(ctx, a, r, false)
	case Withdrawal:
		outcome = "revoked_email_deleted_statistics_excluded"
		err = m.strip(ctx, a, r, true)
	}
	if err != nil {
		return nil, err
	}
	return r, m.close(ctx, a, r, Done, outcome)
}

// Reject closes a request without acting, with the reason told to the
// holder.
func (m *Manager) Reject(ctx context.Context, a Actor, id, reason string) (*Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, ErrReason
	}
	if utf8.RuneCountInString(reason) > MaxNote {
		return nil, ErrNote
	}
	r, err := m.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.State != Open {
		return nil, ErrClosed
	}
	return r, m.close(ctx, a, r, Rejected, "rejected: "+reason)
}

func (m *Manager) close(ctx context.Context, a Actor, r *Request, st RequestState, outcome string) error {
	return m.Store.Update(ctx, func(tx store.Tx) error {
		return m.closeIn(tx, a, r, st, outcome)
	})
}

func (m *Manager) closeIn(tx store.Tx, a Actor, r *Request, st RequestState, outcome string) error {
	r.State, r.Outcome, r.ClosedBy, r.Closed = st, outcome, a.User, m.Now().UTC()
	if err := putRequest(tx, r); err != nil {
		return err
	}
	_, err := audit.Append(tx, m.entry(a, audit.DSRClose, r.ID, "outcome", outcome,
		"on_time", strconv.FormatBool(!r.Closed.After(r.Due))))
	return err
}

// strip deletes the holder's e-mail and statistical facts from every
// version of their constancia, and with revoke also revokes the one in
// force.
func (m *Manager) strip(ctx context.Context, a Actor, r *Request, revoke bool) error {
	return m.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.Constancia(r.ConstanciaID)
		if err != nil {
			return err
		}
		versions, err := versionsIn(tx, c.StudentKey)
		if err != nil {
			return err
		}
		for _, v := range versions {
			v.Email, v.Department, v.Level, v.Requester = "", "", 0, ""
			v.Opposed = true
			if revoke && v.State == constancia.Active {
				v.State, v.Reason, v.ChangedAt = constancia.Revoked, "consent withdrawn ("+r.ID+")", m.Now().UTC()
				if err := m.Status.Set(tx, true, v.StatusIndex); err != nil {
					return err
				}
				if _, err := audit.Append(tx, m.entry(a, audit.Revoke, v.Code, "reason", "consent withdrawn",
					"request", r.ID)); err != nil {
					return err
				}
			}
			if err := tx.PutConstancia(v); err != nil {
				return err
			}
		}
		return deleteMails(tx, versions)
	})
}

// versionsIn returns every version of a student (through the store's
// index: a write transaction must not scan a million constancias).
func versionsIn(tx store.Tx, studentKey string) ([]*constancia.Issued, error) {
	return tx.Versions(studentKey)
}

// deleteMails deletes the e-mails still waiting in the outbox for any of
// versions, dead ones too: they hold the address the request erases.
// (PostgreSQL: one being sent right now is deleted as soon as its
// delivery ends; if the server accepted it, it is gone already.)
func deleteMails(tx store.Tx, versions []*constancia.Issued) error {
	ids := map[uint64]bool{}
	for _, v := range versions {
		ids[v.ID] = true
	}
	var drop []uint64
	if err := tx.Mails(func(m *store.Mail) error {
		if ids[m.Constancia] {
			drop = append(drop, m.ID)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, id := range drop {
		if err := tx.DeleteMail(id); err != nil {
			return err
		}
	}
	return nil
}

// cancel removes every version of the holder's constancia: each status
// bit is set (so the codes read revoked offline, and the indices are never
// handed out again), the records are deleted, and the file is compacted,
// in the background, so no byte of them survives (compactSoon). The audit entry names only the request.
func (m *Manager) cancel(ctx context.Context, a Actor, r *Request) error {
	err := m.Store.Update(ctx, func(tx store.Tx) error {
		c, err := tx.Constancia(r.ConstanciaID)
		if err != nil {
			return err
		}
		versions, err := versionsIn(tx, c.StudentKey)
		if err != nil {
			return err
		}
		var bits []uint64
		for _, v := range versions {
			bits = append(bits, v.StatusIndex)
		}
		if err := m.Status.Set(tx, true, bits...); err != nil {
			return err
		}
		for _, v := range versions {
			if err := tx.DeleteConstancia(v.ID); err != nil {
				return err
			}
		}
		if err := deleteMails(tx, versions); err != nil {
			return err
		}
		if _, err := audit.Append(tx, m.entry(a, audit.Cancel, r.ID, "versions", strconv.Itoa(len(versions)))); err != nil {
			return err
		}
		r.Subject, r.Note = "", ""
		if _, ok := m.Store.(store.Compacter); ok {
			if err := tx.PutMeta(compactPending, []byte(r.ID)); err != nil {
				return err
			}
		}
		return m.closeIn(tx, a, r, Done, "personal_data_removed")
	})
	if err != nil {
		return err
	}
	m.compactSoon()
	return nil
}

// compactPending is the meta key that says a cancellation's compaction
// has not finished: set in the cancelling transaction, deleted after the
// compaction, so a stop or crash in between compacts at the next start
// (ResumeJobs).
const compactPending = "maintenance/compact-pending"

// compactSoon compacts the store in the background (the issuer goes on:
// store.Bolt.Compact holds writers only for its swap; a million
// constancias take longer than an HTTP request may wait). Wait waits for
// it.
func (m *Manager) compactSoon() {
	c, ok := m.Store.(store.Compacter)
	if !ok {
		return
	}
	if _, running := m.jobs.LoadOrStore(compactPending, true); running {
		return
	}
	m.wg.Go(func() {
		defer m.jobs.Delete(compactPending)
		ctx := m.background()
		// Cancellations committed during a compaction are in what it
		// copies only if they committed before its copy read them: the
		// mark, re-read after, says whether to go again.
		for ctx.Err() == nil {
			var mark []byte
			err := m.Store.View(ctx, func(tx store.Tx) error {
				var err error
				mark, err = tx.Meta(compactPending)
				return err
			})
			if errors.Is(err, store.ErrNotFound) {
				return
			}
			if err == nil {
				err = c.Compact()
			}
			if err == nil {
				err = m.Store.Update(ctx, func(tx store.Tx) error {
					now, err := tx.Meta(compactPending)
					if err != nil || !bytes.Equal(now, mark) {
						return err // another cancellation since: once more
					}
					return tx.DeleteMeta(compactPending)
				})
			}
			if err != nil {
				if m.Log != nil && !errors.Is(err, context.Canceled) {
					m.Log.Error("compaction after a cancellation (retried at the next start)", "err", err)
				}
				return
			}
		}
	})
}

// AccessReport is everything the issuer stores about the holder of an
// access request: every version of their constancia (with the signed
// record, the e-mail address kept, the terms accepted) and the requests
// they made. It holds nothing after a cancellation but the request itself.
type AccessReport struct {
	Request     *Request             `json:"request"`
	Generated   time.Time            `json:"generated"`
	Constancias []*constancia.Issued `json:"constancias"`
	Requests    []*Request           `json:"requests"`
}

// AccessReport gathers the access report of request id (an access
// request already answered).
func (m *Manager) AccessReport(ctx context.Context, id string) (*AccessReport, error) {
	r, err := m.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Kind != Access || r.State != Done {
		return nil, ErrNotFound
	}
	rep := &AccessReport{Request: r, Generated: m.Now().UTC()}
	ids := map[uint64]bool{r.ConstanciaID: true}
	err = m.Store.View(ctx, func(tx store.Tx) error {
		c, err := tx.Constancia(r.ConstanciaID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // cancelled: nothing left but the request
		}
		if err != nil {
			return err
		}
		versions, err := tx.Versions(c.StudentKey)
		for _, v := range versions {
			rep.Constancias = append(rep.Constancias, v)
			ids[v.ID] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	all, err := m.Requests(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range all {
		if ids[q.ConstanciaID] {
			rep.Requests = append(rep.Requests, q)
		}
	}
	return rep, nil
}
