package issuance

import (
	"context"
	"errors"

	"github.com/minedu-cla/cla/issuer/store"
)

// Preload issues the constancias of checked requests in one transaction,
// without the PDF or the e-mail: a population loaded at once, for the
// load tests at national scale (tools/cla-load -preload). Each is signed,
// indexed and audited as a request's issuance is; a student who already
// has a constancia is left as is. It returns how many it issued.
func (s *Service) Preload(ctx context.Context, reqs []*Checked) (int, error) {
	if _, _, err := s.Keys.Signer(); err != nil {
		return 0, err
	}
	n := 0
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		n = 0
		for _, c := range reqs {
			key := store.StudentKey(s.Secret, c.Identity.Doc.Kind.String(), c.Identity.Doc.Number)
			if _, err := tx.ByStudent(key); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			st, years := studentOf(c.Identity), yearsOf(c.Records.Years)
			cons, err := s.newConstancia(tx, st, years, key, facts{Requester: c.Request.Requester,
				Department: department(c), TermsVersion: c.Request.TermsVersion, Email: c.Request.Email}, nil, "")
			if err != nil {
				return err
			}
			if err := s.record(tx, Event{Kind: KindIssue, By: Requester, New: cons}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
