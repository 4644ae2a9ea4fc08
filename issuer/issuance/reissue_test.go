package issuance

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// corrected is SIAGIE after a school corrected a student's final result.
type corrected struct {
	registry.RecordsRegistry
	doc idnum.Doc
}

func (c corrected) Student(ctx context.Context, doc idnum.Doc) (*registry.Student, error) {
	s, err := c.RecordsRegistry.Student(ctx, doc)
	if err == nil && doc == c.doc {
		s.Years[0].Final = s.Years[0].Final%3 + 1
	}
	return s, err
}

func issueOne(t *testing.T, s *Service, req Request) *Issued {
	t.Helper()
	checked, err := s.Check(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Issue(context.Background(), checked)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func stateOf(t *testing.T, s *Service, id uint64) *constancia.Issued {
	t.Helper()
	var c *constancia.Issued
	if err := s.Store.View(context.Background(), func(tx store.Tx) (err error) { c, err = tx.Constancia(id); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRegenerateAndReissue(t *testing.T) {
	s, g, out := newService(t)
	events := &eventLog{t: t}
	s.Audit = events
	ctx := context.Background()
	req := requestFor(t, g, g.Cases()[0])
	first := issueOne(t, s, req).Constancia
	issueOne(t, s, req) // the same again: resent

	// The holder asks for a new code after the same identity check.
	req.Regenerate = true
	second := issueOne(t, s, req)
	if second.Existing || second.Constancia.Code == first.Code || second.Constancia.Version != 2 {
		t.Fatalf("regenerate: %+v", second)
	}
	if old := stateOf(t, s, first.ID); old.State != constancia.Superseded || old.Reason != ReasonRegenerated {
		t.Fatalf("the old constancia after regenerate: %s %q", old.State, old.Reason)
	}
	if _, st, _ := s.Lookup(ctx, first.Code); st != credential.Revoked {
		t.Fatalf("old code: %s", st)
	}

	// An admin reissues it (as after a key compromise): same content.
	clerk := Actor{User: "rosa", Role: "registrar"}
	third, err := s.Reissue(ctx, clerk, second.Constancia.ID, ReasonKeyCompromised)
	if err != nil {
		t.Fatal(err)
	}
	c := third.Constancia
	if c.Version != 3 || c.Email != req.Email || !slices.Equal(c.ContentHash, second.Constancia.ContentHash) ||
		!c.TermsAt.Equal(second.Constancia.TermsAt) || c.Requester != second.Constancia.Requester || out.count(t)[c.Code] != 1 {
		t.Fatalf("reissued: version %d, e-mail %q, hash %x, terms %s, requester %s, %d e-mails",
			c.Version, c.Email, c.ContentHash, c.TermsAt, c.Requester, out.count(t)[c.Code])
	}
	if _, st, _ := s.Lookup(ctx, c.Code); st != credential.Valid {
		t.Fatalf("reissued code: %s", st)
	}
	// Only the current constancia can be reissued.
	if _, err := s.Reissue(ctx, clerk, second.Constancia.ID, ReasonKeyCompromised); !errors.Is(err, ErrNotCurrent) {
		t.Fatalf("reissuing a superseded one: %v", err)
	}
	if _, err := s.Reissue(ctx, clerk, 9999, ReasonKeyCompromised); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("reissuing a missing one: %v", err)
	}
	if want := []string{"issue by public", "resend by public", "regenerate by public", "reissue by rosa/registrar"}; !slices.Equal(events.got, want) {
		t.Fatalf("audit events %v, want %v", events.got, want)
	}
}

func TestRectify(t *testing.T) {
	s, g, _ := newService(t)
	ctx := context.Background()
	c := g.Cases()[0]
	first := issueOne(t, s, requestFor(t, g, c)).Constancia
	if _, err := s.Rectify(ctx, Actor{User: "ana", Role: "admin"}, first.ID); !errors.Is(err, ErrUnchanged) {
		t.Fatalf("rectify with nothing changed: %v", err)
	}
	s.Records = corrected{RecordsRegistry: s.Records, doc: c.Student}
	out, err := s.Rectify(ctx, Actor{User: "ana", Role: "admin"}, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	ks, _ := s.Keys.Keyset()
	rec, _, err := credential.OpenRecord(out.Constancia.RecordDoc, ks)
	if err != nil {
		t.Fatal(err)
	}
	oldRec, _, _ := credential.OpenRecord(first.RecordDoc, ks)
	if rec.Years[0].Result == oldRec.Years[0].Result {
		t.Fatal("the rectified constancia does not carry the corrected result")
	}
	if old := stateOf(t, s, first.ID); old.State != constancia.Superseded || old.Reason != ReasonRectified {
		t.Fatalf("old after rectify: %s %q", old.State, old.Reason)
	}
}

// eventLog is an Auditor that keeps "kind by actor" and checks that the
// old constancia is shown as it was.
type eventLog struct {
	t   *testing.T
	got []string
}

func (l *eventLog) IssuanceEvent(_ store.Tx, e Event) error {
	if e.Old != nil && e.Old.State != constancia.Active {
		l.t.Errorf("%s: the audit event's old constancia is %s, want it as it was (active)", e.Kind, e.Old.State)
	}
	by := e.By.User
	if e.By.Role != "" {
		by += "/" + e.By.Role
	}
	l.got = append(l.got, string(e.Kind)+" by "+by)
	return nil
}
