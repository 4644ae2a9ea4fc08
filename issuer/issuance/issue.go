package issuance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Issued is the outcome of Issue.
// The PDF is not made here: it is made from the stored record when it is
// downloaded or e-mailed (Service.PDF).
type Issued struct {
	Constancia *constancia.Issued
	// Existing is set when the same records had been issued already: the
	// existing constancia is returned (and e-mailed again), not a new one.
	Existing bool
}

// Issue issues the constancia of a checked request, in one transaction:
// a new version when the records changed (the old one revoked as
// superseded), the existing one when they did not.
func (s *Service) Issue(ctx context.Context, c *Checked) (*Issued, error) {
	st := studentOf(c.Identity)
	years := yearsOf(c.Records.Years)
	hash := contentHash(st, years)
	key := store.StudentKey(s.Secret, c.Identity.Doc.Kind.String(), c.Identity.Doc.Number)
	if _, _, err := s.Keys.Signer(); err != nil {
		return nil, err
	}
	out := &Issued{}
	err := s.Store.Batch(ctx, func(tx store.Tx) error {
		out.Existing = false
		prev, err := tx.ByStudent(key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			prev = nil
		case err != nil:
			return err
		case prev.State == constancia.Active && bytes.Equal(prev.ContentHash, hash) && !c.Request.Regenerate:
			out.Constancia, out.Existing = prev, true
			ev := Event{Kind: KindResend, By: Requester, New: prev}
			if prev.Email != c.Request.Email {
				// The holder, past the same identity check, corrects the
				// address kept to tell them of a reissue.
				ev.Old = clone(prev)
				prev.Email = c.Request.Email
				if err := tx.PutConstancia(prev); err != nil {
					return err
				}
			}
			if err := s.record(tx, ev); err != nil {
				return err
			}
			return s.queueMail(tx, prev.ID, c.Request.Email)
		}
		reason, kind := "", KindIssue
		if c.Request.Regenerate && prev != nil && prev.State == constancia.Active {
			reason, kind = ReasonRegenerated, KindRegenerate
		}
		old := clone(prev)
		cons, err := s.newConstancia(tx, st, years, key, facts{Requester: c.Request.Requester, Department: department(c),
			TermsVersion: c.Request.TermsVersion, Email: c.Request.Email}, prev, reason)
		if err != nil {
			return err
		}
		if err := s.record(tx, Event{Kind: kind, By: Requester, New: cons, Old: old, Reason: reason}); err != nil {
			return err
		}
		out.Constancia = cons
		return s.queueMail(tx, cons.ID, c.Request.Email)
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return out, nil
}

// clone copies c (nil stays nil): newConstancia changes the old version
// in place, and the audit trail wants it as it was.
func clone(c *constancia.Issued) *constancia.Issued {
	if c == nil {
		return nil
	}
	cp := *c
	return &cp
}

// facts are what a constancia keeps about its request.
type facts struct {
	Requester    constancia.Requester
	Department   string
	TermsVersion string
	TermsAt      time.Time // zero: now
	Email        string
	// ContentHash of what the constancia says; nil: computed. A reissue
	// keeps the old one (the years read back from a signed record may
	// differ from SIAGIE's in empty-versus-absent lists only).
	ContentHash []byte
}

// newConstancia signs and stores a new constancia (version prev + 1); an
// active prev is superseded, with reason (or "superseded by version N").
func (s *Service) newConstancia(tx store.Tx, st credential.Student, years []credential.RecordYear,
	key string, f facts, prev *constancia.Issued, reason string) (*constancia.Issued, error) {
	signer, signKey, err := s.Keys.Signer()
	if err != nil {
		return nil, err
	}
	index, err := s.Status.Allocate(tx)
	if err != nil {
		return nil, err
	}
	code, err := s.uniqueCode(tx)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC().Truncate(time.Second)
	rec := &credential.Record{Issuer: s.Issuer, IssuedAt: now, Code: code, StatusIndex: index, Student: st, Years: years}
	recDoc, err := credential.SealRecord(signer, rec)
	if err != nil {
		return nil, err
	}
	qr, err := credential.Seal(signer, &credential.Claims{Issuer: s.Issuer, IssuedAt: now, Code: code,
		StatusIndex: index, Student: st, Years: rec.Summary(), RecordDigest: credential.RecordDigest(recDoc)})
	if err != nil {
		return nil, err
	}
	hash := f.ContentHash
	if hash == nil {
		hash = contentHash(st, years)
	}
	termsAt := f.TermsAt
	if termsAt.IsZero() {
		termsAt = now
	}
	cons := &constancia.Issued{Code: code, Version: 1, StudentKey: key, Student: st, RecordDoc: recDoc, QRText: qr,
		ContentHash: hash, StatusIndex: index, IssuedAt: now, KeyID: signKey.ID, State: constancia.Active,
		Requester: f.Requester, Department: f.Department, Level: highestLevel(years),
		TermsVersion: f.TermsVersion, TermsAt: termsAt, Email: f.Email}
	if prev != nil {
		cons.Version = prev.Version + 1
	}
	if err := tx.PutConstancia(cons); err != nil {
		return nil, err
	}
	if prev == nil || prev.State != constancia.Active {
		return cons, nil
	}
	if reason == "" {
		reason = "superseded by version " + strconv.Itoa(cons.Version)
	}
	prev.State, prev.SupersededBy, prev.ChangedAt, prev.Reason = constancia.Superseded, cons.ID, now, reason
	if err := tx.PutConstancia(prev); err != nil {
		return nil, err
	}
	return cons, s.Status.Set(tx, true, prev.StatusIndex)
}

// uniqueCode draws virtual codes until one is free (60 bits: a clash is a
// one-in-10^12 event at a million constancias, but it costs one lookup).
func (s *Service) uniqueCode(tx store.Tx) (string, error) {
	for range 8 {
		code, err := vcode.New(s.Rand)
		if err != nil {
			return "", err
		}
		if _, err := tx.ByCode(code); errors.Is(err, store.ErrNotFound) {
			return code, nil
		}
	}
	return "", errors.New("issuance: no free virtual code in 8 draws")
}

// highestLevel is the highest level the years reach, for statistics.
func highestLevel(years []credential.RecordYear) uint8 {
	var l credential.Level
	for _, y := range years {
		l = max(l, y.Level)
	}
	return uint8(l)
}

// department is the 2-digit department of the requester's address, kept
// for anonymised statistics.
func department(c *Checked) string {
	u := string(c.Request.Student.Claim.Ubigeo)
	if c.Request.Guardian != nil {
		u = string(c.Request.Guardian.Claim.Ubigeo)
	}
	if len(u) < 2 {
		return ""
	}
	return u[:2]
}

// PDF renders the PDF of a stored constancia (PDFs are not stored: they
// are made again, identically, from the signed record and code).
func (s *Service) PDF(c *constancia.Issued) ([]byte, error) {
	ks, _ := s.Keys.Keyset()
	rec, _, err := credential.OpenRecord(c.RecordDoc, ks)
	if rec == nil {
		return nil, fmt.Errorf("issuance: stored record %d: %w", c.ID, err)
	}
	return s.Render(rec, c.QRText, c.RecordDoc)
}

// queueMail queues, in tx, the e-mail of constancia id to the address
// to: it is sent only if tx commits, and is not lost if the process dies
// after (the outbox, store.Mail).
func (s *Service) queueMail(tx store.Tx, id uint64, to string) error {
	if to == "" {
		return nil
	}
	now := s.Now()
	mid, err := mailq.NewMessageID(now, s.Rand)
	if err != nil {
		return err
	}
	return tx.AddMail(&store.Mail{MessageID: mid, Constancia: id, To: to, Created: now})
}

func (s *Service) wake() {
	if s.Queued != nil {
		s.Queued()
	}
}

// HasActive reports whether the student of a checked request holds an
// active constancia: only then can they ask for a new code and QR.
func (s *Service) HasActive(ctx context.Context, c *Checked) (bool, error) {
	key := store.StudentKey(s.Secret, c.Identity.Doc.Kind.String(), c.Identity.Doc.Number)
	var active bool
	err := s.Store.View(ctx, func(tx store.Tx) error {
		prev, err := tx.ByStudent(key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		active = prev.State == constancia.Active
		return nil
	})
	return active, err
}

// UpgradeMail moves the e-mails an earlier version left pending (a
// "mail-pending/<id>" mark holding the address, written with the
// constancia, cleared once the message was in that version's spool) into
// the outbox, in one transaction, and returns how many. Run at start;
// nothing to do on a store this version made.
func (s *Service) UpgradeMail(ctx context.Context) (int, error) {
	const prefix = "mail-pending/"
	n := 0
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		n = 0
		marks := map[string]string{}
		if err := tx.ForEachMeta(prefix, func(k string, v []byte) error { marks[k] = string(v); return nil }); err != nil {
			return err
		}
		for k, to := range marks {
			id, err := strconv.ParseUint(k[len(prefix):], 10, 64)
			if err == nil {
				if _, err = tx.Constancia(id); err == nil {
					err = s.queueMail(tx, id, to)
					n++
				}
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, strconv.ErrSyntax) {
				return err
			}
			if err := tx.DeleteMeta(k); err != nil {
				return err
			}
		}
		return nil
	})
	if n > 0 {
		s.wake()
	}
	return n, err
}
