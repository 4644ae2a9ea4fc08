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
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Issued is the outcome of Issue.
type Issued struct {
	Constancia *constancia.Issued
	PDF        []byte
	// Existing is set when the same records had been issued already: the
	// existing constancia is returned (and e-mailed again), not a new one.
	Existing bool
}

// mailPrefix marks constancias whose e-mail is not yet in the mail queue.
// The marker is written in the issuing transaction, so a crash between
// storing a constancia and queueing its e-mail loses nothing: ResumeMail
// queues it on the next start.
const mailPrefix = "mail-pending/"

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
			return tx.PutMeta(mailKey(prev.ID), []byte(c.Request.Email))
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
		return tx.PutMeta(mailKey(cons.ID), []byte(c.Request.Email))
	})
	if err != nil {
		return nil, err
	}
	if out.PDF, err = s.PDF(out.Constancia); err != nil {
		return nil, err
	}
	return out, s.mail(ctx, out.Constancia, c.Request.Email, out.PDF)
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

func mailKey(id uint64) string { return mailPrefix + fmt.Sprintf("%016d", id) }

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

// mail queues the e-mail of c to the address to, then clears the pending
// marker (batched: concurrent issuances share the commit).
func (s *Service) mail(ctx context.Context, c *constancia.Issued, to string, pdf []byte) error {
	if err := s.Notify(ctx, to, c, pdf); err != nil {
		return fmt.Errorf("issuance: queueing the e-mail: %w", err)
	}
	return s.Store.Batch(ctx, func(tx store.Tx) error { return tx.DeleteMeta(mailKey(c.ID)) })
}

// ResumeMail queues the e-mails a crash left unqueued. Run it at start.
func (s *Service) ResumeMail(ctx context.Context) (int, error) {
	var ids []uint64
	err := s.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEachMeta(mailPrefix, func(k string, _ []byte) error {
			id, err := strconv.ParseUint(k[len(mailPrefix):], 10, 64)
			if err == nil {
				ids = append(ids, id)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		var (
			c  *constancia.Issued
			to []byte
		)
		err := s.Store.View(ctx, func(tx store.Tx) (err error) {
			if c, err = tx.Constancia(id); err != nil {
				return err
			}
			to, err = tx.Meta(mailKey(id))
			return err
		})
		if err != nil {
			return 0, err
		}
		pdf, err := s.PDF(c)
		if err != nil {
			return 0, err
		}
		if err := s.mail(ctx, c, string(to), pdf); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
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
