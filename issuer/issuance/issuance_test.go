package issuance

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

var now = time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)

// sent reads the outbox: the e-mails queued for each code.
type sent struct{ st store.Store }

func (o *sent) count(t testing.TB) map[string]int {
	t.Helper()
	n := map[string]int{}
	err := o.st.View(context.Background(), func(tx store.Tx) error {
		return tx.Mails(func(m *store.Mail) error {
			c, err := tx.Constancia(m.Constancia)
			if err != nil {
				return err
			}
			if m.To != c.Email || m.MessageID == "" {
				return fmt.Errorf("mail %+v for constancia %d (e-mail %q)", m, c.ID, c.Email)
			}
			n[c.Code]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func newService(t testing.TB) (*Service, *synth.Generator, *sent) {
	t.Helper()
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	k, err := keys.Open(keys.Options{Dir: t.TempDir(), Dev: true, Now: clock, Rand: rand.Reader,
		KDF: keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	st := store.NewMemory()
	rl := revocation.New(revocation.Options{Store: st, Size: status.MinBits, Signer: k.MustSigner, Now: clock, Rand: rand.Reader})
	if err := rl.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := &sent{st: st}
	s := &Service{Identity: g, Records: g, Store: st, Keys: k, Status: rl, Secret: []byte("test secret"),
		Issuer: "MINEDU", Now: clock, Rand: rand.Reader,
		// The PDF has its own tests; here the record stands for it.
		Render: func(rec *credential.Record, qr string, doc []byte) ([]byte, error) { return doc, nil }}
	return s, g, out
}

// claimOf states what a careful requester types about p: the names of
// p's parents and the ubigeo of p's address, as RENIEC has them.
func claimOf(t *testing.T, g *synth.Generator, doc idnum.Doc) registry.Claim {
	t.Helper()
	p, err := g.Person(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return registry.Claim{FatherNames: p.Father.Names, MotherNames: p.Mother.Names, Ubigeo: p.Ubigeo}
}

func requestFor(t *testing.T, g *synth.Generator, c synth.Case) Request {
	req := Request{Requester: constancia.Adult, Student: Person{Doc: c.Student}, Email: "familia@example.pe", TermsVersion: "2026-01"}
	if c.Student.Kind != idnum.KindStudentCode {
		req.Student.Claim = claimOf(t, g, c.Student)
	}
	if !c.Guardian.IsZero() {
		req.Requester = constancia.Guardian
		req.Guardian = &Person{Doc: c.Guardian, Claim: claimOf(t, g, c.Guardian)}
	}
	if c.Want == synth.WantMismatch {
		req.Student.Claim.Ubigeo = "150101" // someone else's district
	}
	return req
}

// TestDemoCases runs every showcase identity through Check and Issue.
func TestDemoCases(t *testing.T) {
	s, g, _ := newService(t)
	want := map[string]error{
		synth.WantIssue: nil, synth.WantForeignIssue: nil, synth.WantMinor: ErrMinor,
		synth.WantNotGuardian: ErrNotGuardian, synth.WantMinorGuard: ErrGuardianMinor,
		synth.WantDeceased: nil, synth.WantNoDocument: ErrNoDocument, synth.WantBlocked: ErrBlocked,
		synth.WantNoRecords: ErrNoRecords, synth.WantMismatch: ErrMismatch,
	}
	for _, c := range g.Cases() {
		t.Run(c.Path, func(t *testing.T) {
			checked, err := s.Check(context.Background(), requestFor(t, g, c))
			w, known := want[c.Want]
			if !known {
				t.Fatalf("no expectation for %q", c.Want)
			}
			if c.Want == synth.WantDeceased {
				// A deceased student or guardian: refused, never issued.
				if err == nil {
					t.Fatal("issued for a deceased person")
				}
				return
			}
			if !errors.Is(err, w) && !(w == nil && err == nil) {
				t.Fatalf("Check: %v, want %v", err, w)
			}
			if err != nil {
				return
			}
			issued, err := s.Issue(context.Background(), checked)
			if err != nil {
				t.Fatal(err)
			}
			cons := issued.Constancia
			// (The same student asked for by their mother, then their
			// father: the second gets the existing constancia.)
			if cons.State != constancia.Active || cons.QRText == "" {
				t.Fatalf("issued %s, state %s", cons.Code, cons.State)
			}
			// The QR code verifies under the issuer's keyset.
			ks, _ := s.Keys.Keyset()
			claims, _, err := credential.Open(cons.QRText, ks)
			if err != nil || claims.Code != cons.Code || claims.Student.DocNumber != checked.Identity.Doc.Number {
				t.Fatalf("QR code: %v", err)
			}
		})
	}
}

func TestIdempotentAndLookup(t *testing.T) {
	s, g, out := newService(t)
	c := g.Cases()[0]
	ctx := context.Background()
	checked, err := s.Check(ctx, requestFor(t, g, c))
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Existing || again.Constancia.Code != first.Constancia.Code || out.count(t)[first.Constancia.Code] != 2 {
		t.Fatalf("asking again: existing=%v code %s, %d e-mails", again.Existing, again.Constancia.Code, out.count(t)[first.Constancia.Code])
	}
	// Asking again with another address corrects the address kept (it
	// mailed the new one and kept the old one).
	checked.Request.Email = "nueva@example.pe"
	if _, err := s.Issue(ctx, checked); err != nil {
		t.Fatal(err)
	}
	err = s.Store.View(ctx, func(tx store.Tx) error {
		kept, err := tx.Constancia(first.Constancia.ID)
		if err == nil && kept.Email != "nueva@example.pe" {
			t.Errorf("the address kept is %q after a correction", kept.Email)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked.Request.Email = "familia@example.pe"
	// Changed records: a new version, the old one revoked as superseded.
	checked.Records.Years[0].Final = checked.Records.Years[0].Final%3 + 1
	newer, err := s.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	if newer.Existing || newer.Constancia.Version != 2 || newer.Constancia.Code == first.Constancia.Code {
		t.Fatalf("changed records: %+v", newer.Constancia)
	}
	for _, tt := range []struct {
		typed string
		want  credential.Status
	}{
		{first.Constancia.Code, credential.Revoked},
		{newer.Constancia.Code, credential.Valid},
		{"0000-0000-0000-0", credential.NotFound},
	} {
		_, st, err := s.Lookup(ctx, tt.typed)
		if err != nil || st != tt.want {
			t.Errorf("Lookup(%s) = %s, %v; want %s", tt.typed, st, err, tt.want)
		}
	}
	if _, _, err := s.Lookup(ctx, "7K3M-9QXT-2HBN-N"); err == nil {
		t.Error("a typo passed the check symbol")
	}
	// The status list published with the supersession revokes the old index.
	doc, _, _ := s.Status.Current(ctx)
	ks, _ := s.Keys.Keyset()
	l, err := status.Open(doc, ks)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := l.Revoked(first.Constancia.StatusIndex); !r {
		t.Fatal("the superseded constancia is not revoked in the list")
	}
}

// TestMailWithTheTransaction: the e-mail is queued in the issuing
// transaction: a transaction that fails (here the audit trail refuses)
// leaves neither constancia nor e-mail, one that commits leaves both.
func TestMailWithTheTransaction(t *testing.T) {
	s, g, out := newService(t)
	ctx := context.Background()
	checked, err := s.Check(ctx, requestFor(t, g, g.Cases()[0]))
	if err != nil {
		t.Fatal(err)
	}
	s.Audit = refuse{}
	if _, err := s.Issue(ctx, checked); err == nil {
		t.Fatal("issued with the audit trail refusing")
	}
	if n := out.count(t); len(n) != 0 {
		t.Fatalf("a failed issuance queued e-mails: %v", n)
	}
	s.Audit = nil
	woken := 0
	s.Queued = func() { woken++ }
	issued, err := s.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	if n := out.count(t); n[issued.Constancia.Code] != 1 || len(n) != 1 || woken != 1 {
		t.Fatalf("after an issuance: e-mails %v, deliverer woken %d times", n, woken)
	}
}

type refuse struct{}

func (refuse) IssuanceEvent(store.Tx, Event) error { return errors.New("audit trail unavailable") }

// TestUpgradeMail: the marks an earlier version left for e-mails not yet
// in its spool become outbox mails, once; a mark of a constancia since
// erased, or malformed, is only cleared.
func TestUpgradeMail(t *testing.T) {
	s, g, out := newService(t)
	ctx := context.Background()
	checked, err := s.Check(ctx, requestFor(t, g, g.Cases()[0]))
	if err != nil {
		t.Fatal(err)
	}
	issued, err := s.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	// As the earlier version left it: a mark, and no mail.
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.Mails(func(m *store.Mail) error { return tx.DeleteMail(m.ID) }); err != nil {
			return err
		}
		tx.PutMeta(fmt.Sprintf("mail-pending/%016d", issued.Constancia.ID), []byte("familia@example.pe"))
		tx.PutMeta("mail-pending/0000000000009999", []byte("borrado@example.pe"))
		return tx.PutMeta("mail-pending/x", []byte("roto@example.pe"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.UpgradeMail(ctx); n != 1 || err != nil {
		t.Fatalf("UpgradeMail = %d, %v; want 1", n, err)
	}
	if n, err := s.UpgradeMail(ctx); n != 0 || err != nil {
		t.Fatalf("UpgradeMail again = %d, %v; want 0", n, err)
	}
	var to []string
	s.Store.View(ctx, func(tx store.Tx) error {
		tx.Mails(func(m *store.Mail) error { to = append(to, m.To); return nil })
		return tx.ForEachMeta("mail-pending/", func(k string, _ []byte) error {
			t.Errorf("mark %s left", k)
			return nil
		})
	})
	if len(to) != 1 || to[0] != "familia@example.pe" || out.count(t)[issued.Constancia.Code] != 1 {
		t.Errorf("outbox after the upgrade: %v", to)
	}
}
