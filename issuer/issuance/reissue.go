package issuance

import (
	"context"
	"errors"
	"fmt"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Reasons a constancia was replaced, kept on the old one (never
// published: verifiers see only "revoked").
const (
	ReasonRegenerated    = "regenerated at the holder's request"
	ReasonKeyCompromised = "reissued: the signing key was declared compromised"
	ReasonRectified      = "rectified: the registries changed"
)

// Errors of managing an issued constancia.
var (
	// ErrNotCurrent: the constancia is not the holder's current one
	// (revoked, superseded or cancelled), so it cannot be reissued.
	ErrNotCurrent = errors.New("issuance: the constancia is not the current, active one")
	// ErrUnchanged: a rectification found the registries saying what the
	// constancia already says.
	ErrUnchanged = errors.New("issuance: the registries say what the constancia already says")
)

// Reissue replaces constancia id with a new version that says the same
// under a new code, status index and the current signing key, and revokes
// the old one as superseded with reason. The holder is e-mailed at the
// address the constancia keeps (if any). It is how a compromised key's
// constancias are replaced, and how a holder's code is regenerated.
func (s *Service) Reissue(ctx context.Context, by Actor, id uint64, reason string) (*Issued, error) {
	if _, _, err := s.Keys.Signer(); err != nil {
		return nil, err
	}
	return s.replace(ctx, by, id, KindReissue, reason, func(old *constancia.Issued) (credential.Student, []credential.RecordYear, []byte, error) {
		ks, _ := s.Keys.Keyset()
		rec, _, err := credential.OpenRecord(old.RecordDoc, ks)
		if rec == nil {
			return credential.Student{}, nil, nil, fmt.Errorf("issuance: stored record %d: %w", id, err)
		}
		return rec.Student, rec.Years, old.ContentHash, nil
	})
}

// replace issues, in one transaction, a new version of constancia id
// (which must be current) with what content says, supersedes the old one
// with reason, records the event and marks the e-mail; then renders the
// PDF and queues the e-mail.
func (s *Service) replace(ctx context.Context, by Actor, id uint64, kind EventKind, reason string,
	content func(old *constancia.Issued) (credential.Student, []credential.RecordYear, []byte, error)) (*Issued, error) {
	out := &Issued{}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		old, err := s.current(tx, id)
		if err != nil {
			return err
		}
		st, years, hash, err := content(old)
		if err != nil {
			return err
		}
		f := factsOf(old)
		f.ContentHash = hash
		was := clone(old)
		cons, err := s.newConstancia(tx, st, years, old.StudentKey, f, old, reason)
		if err != nil {
			return err
		}
		if err := s.record(tx, Event{Kind: kind, By: by, New: cons, Old: was, Reason: reason}); err != nil {
			return err
		}
		out.Constancia = cons
		return s.markMail(tx, cons)
	})
	if err != nil {
		return nil, err
	}
	return out, s.finish(ctx, out)
}

// Rectify reads the student's identity and records again and, when they
// changed, issues a new version and revokes the old one: the right of
// rectification, after the school or RENIEC corrected the source. It
// returns ErrUnchanged when nothing changed (the registry must be
// corrected first).
func (s *Service) Rectify(ctx context.Context, by Actor, id uint64) (*Issued, error) {
	var old *constancia.Issued
	err := s.Store.View(ctx, func(tx store.Tx) (err error) {
		old, err = s.current(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	doc := idnum.Doc{Kind: idnum.KindDNI, Number: old.Student.DocNumber}
	if old.Student.DocType == credential.CE {
		doc.Kind = idnum.KindCE
	}
	person, err := s.Identity.Person(ctx, doc)
	if err != nil {
		return nil, unavailableOr(err)
	}
	records, err := s.Records.Student(ctx, doc)
	if err != nil {
		return nil, unavailableOr(err)
	}
	if year, blocked := records.Blocking(); blocked {
		return nil, &Refusal{Code: ErrBlocked.Code, Year: year}
	}
	if len(records.Years) == 0 {
		return nil, ErrNoRecords
	}
	st, years := studentOf(person), yearsOf(records.Years)
	hash := contentHash(st, years)
	return s.replace(ctx, by, id, KindRectify, ReasonRectified, func(old *constancia.Issued) (credential.Student, []credential.RecordYear, []byte, error) {
		if string(old.ContentHash) == string(hash) {
			return credential.Student{}, nil, nil, ErrUnchanged
		}
		return st, years, hash, nil
	})
}

// current returns constancia id if it is its holder's newest, active one.
func (s *Service) current(tx store.Tx, id uint64) (*constancia.Issued, error) {
	c, err := tx.Constancia(id)
	if err != nil {
		return nil, err
	}
	if c.State != constancia.Active {
		return nil, ErrNotCurrent
	}
	if newest, err := tx.ByStudent(c.StudentKey); err != nil || newest.ID != c.ID {
		return nil, ErrNotCurrent
	}
	return c, nil
}

func factsOf(c *constancia.Issued) facts {
	return facts{Requester: c.Requester, Department: c.Department, TermsVersion: c.TermsVersion, TermsAt: c.TermsAt,
		Email: c.Email}
}

// markMail queues c's e-mail in tx.
func (s *Service) markMail(tx store.Tx, c *constancia.Issued) error {
	return s.queueMail(tx, c.ID, c.Email)
}

// finish wakes the deliverer for a reissued constancia's e-mail (queued
// in the reissuing transaction).
func (s *Service) finish(_ context.Context, _ *Issued) error {
	s.wake()
	return nil
}

func unavailableOr(err error) error {
	if errors.Is(err, registry.ErrNotFound) || errors.Is(err, registry.ErrUnsupported) {
		return ErrNoRecords
	}
	return unavailable(err)
}
