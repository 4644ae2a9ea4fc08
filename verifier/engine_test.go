package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/base45"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable clock for an engine.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newEngine returns an engine with a bbolt store in a temp dir, trusting
// is's root, with the bundle of is imported.
func newEngine(t *testing.T, is *testissuer.Issuer, clk *clock) (*verifier.Engine, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trust.db")
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Bolt{Path: path}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(context.Background(), is.Bundle(), "test"); err != nil {
		t.Fatal(err)
	}
	return e, path
}

func TestEveryStatus(t *testing.T) {
	t.Parallel()
	is := testissuer.New("statuses", t0)
	good := is.Issue(3)
	revoked := is.Issue(4)
	is.Revoke(revoked)
	clk := &clock{t0.Add(time.Hour)}
	e, _ := newEngine(t, is, clk)

	forger := testissuer.New("forger", t0)
	forged := forger.Issue(3)
	msg, _ := credential.Decode(good.Text)
	flipped := bytes.Clone(msg)
	flipped[len(flipped)-2] ^= 1

	// A key the issuer later says is compromised, and a code signed
	// before its window by a key valid from 2026-03-01 11:00.
	early := testissuer.New("statuses", t0.Add(-48*time.Hour))
	tooEarly := early.Issue(2) // same root and signing key, iat before the window

	tests := []struct {
		name   string
		text   string
		want   credential.Status
		reason string
	}{
		{"valid", good.Text, credential.Valid, ""},
		{"revoked", revoked.Text, credential.Revoked, ""},
		{"invalid signature", credential.Prefix + base45.Encode(flipped), credential.InvalidSignature, ""},
		{"unknown key", forged.Text, credential.UnknownKey, ""},
		{"key not valid", tooEarly.Text, credential.KeyNotValid, ""},
		{"malformed", "CLA1:hola", credential.Malformed, ""},
	}
	for _, tt := range tests {
		r := e.VerifyText(tt.text)
		if r.Status != tt.want || r.Reason != tt.reason {
			t.Errorf("%s: %s (%s, %s), want %s", tt.name, r.Status, r.Reason, r.Detail, tt.want)
		}
	}
	r := e.VerifyText(good.Text)
	if r.Constancia == nil || r.Constancia.Student.DocNumber != good.Claims.Student.DocNumber || r.Key == nil ||
		r.Trust.StatusSeq != 2 || r.Trust.KeysetSeq != 1 {
		t.Fatalf("valid result lacks detail: %+v", r)
	}

	// Stale: data older than 30 days; a warning past 7; a clock wound back.
	clk.t = t0.Add(8 * 24 * time.Hour)
	if r := e.VerifyText(good.Text); r.Status != credential.Valid || !contains(r.Warnings, verifier.WarnTrustOld) {
		t.Errorf("8 days: %s %v", r.Status, r.Warnings)
	}
	clk.t = t0.Add(31 * 24 * time.Hour)
	if r := e.VerifyText(good.Text); r.Status != credential.Stale || r.Reason != trust.TooOld {
		t.Errorf("31 days: %s %s", r.Status, r.Reason)
	}
	if r := e.VerifyText(revoked.Text); r.Status != credential.Revoked {
		t.Errorf("revoked while stale: %s", r.Status)
	}
	clk.t = t0.Add(-24 * time.Hour)
	if r := e.VerifyText(good.Text); r.Status != credential.Stale || r.Reason != trust.ClockBehind {
		t.Errorf("clock behind: %s %s", r.Status, r.Reason)
	}
	// Compromised: the issuer declares the key compromised.
	clk.t = t0.Add(2 * time.Hour)
	next := is.Keyset().Next(is.Keysets[0], t0.Add(2*time.Hour), 365*24*time.Hour)
	next.Compromise(is.Keyset().Keys[0].ID)
	doc, _ := next.Sign(is.Root)
	is.Keysets = append(is.Keysets, doc)
	// The bundle's list is signed by the compromised key: the keyset is
	// taken anyway, the list refused.
	if err := e.Import(context.Background(), is.Bundle(), "test"); !errors.Is(err, trust.ErrListRejected) {
		t.Fatalf("import with a compromised list: %v", err)
	}
	if r := e.VerifyText(good.Text); r.Status != credential.KeyCompromised {
		t.Errorf("compromised: %s", r.Status)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestNoSingleByteFlipIsValid flips every bit of every byte of a valid
// code's signed bytes, through the engine.
func TestNoSingleByteFlipIsValid(t *testing.T) {
	t.Parallel()
	is := testissuer.New("flip", t0)
	c := is.Issue(13)
	e, _ := newEngine(t, is, &clock{t0.Add(time.Hour)})
	msg, _ := credential.Decode(c.Text)
	for i := range msg {
		for bit := range 8 {
			b := bytes.Clone(msg)
			b[i] ^= 1 << bit
			if r := e.VerifyText(credential.Prefix + base45.Encode(b)); r.Status == credential.Valid {
				t.Fatalf("byte %d bit %d flipped: valid", i, bit)
			}
		}
	}
}

func TestEmptyStoreIsStale(t *testing.T) {
	t.Parallel()
	is := testissuer.New("empty", t0)
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()}})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.VerifyText(is.Issue(2).Text); r.Status != credential.Stale || r.Reason != trust.NoTrustData {
		t.Fatalf("no trust data: %s %s", r.Status, r.Reason)
	}
}

func TestJWKSMode(t *testing.T) {
	t.Parallel()
	is := testissuer.New("jwks", t0)
	c := is.Issue(2)
	e, err := verifier.Open(context.Background(), verifier.Options{Keys: keyset.List(is.Keyset().Keys)})
	if err != nil {
		t.Fatal(err)
	}
	r := e.VerifyText(c.Text)
	if r.Status != credential.Valid || !contains(r.Warnings, verifier.WarnNoRevocation) || !r.Trust.KeysOnly {
		t.Fatalf("jwks mode: %+v", r)
	}
}

func TestSync(t *testing.T) {
	t.Parallel()
	is := testissuer.New("sync", t0)
	srv := testissuer.NewServer(is)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	clk := &clock{t0.Add(time.Hour)}
	path := filepath.Join(t.TempDir(), "trust.db")
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Bolt{Path: path}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	client := verifier.NewClient(hs.URL)
	ctx := context.Background()

	rep, err := e.Sync(ctx, client)
	if err != nil || rep.KeysetTo != 1 || rep.StatusTo != 1 || !rep.FullList {
		t.Fatalf("first sync: %+v %v", rep, err)
	}
	if _, err := e.Sync(ctx, client); !errors.Is(err, trust.ErrUpToDate) {
		t.Fatalf("second sync: %v", err)
	}
	c := is.Issue(3)
	if r := e.VerifyText(c.Text); r.Status != credential.Valid {
		t.Fatalf("before revocation: %s", r.Status)
	}
	srv.Mu.Lock()
	is.Now = t0.Add(2 * time.Hour)
	is.Revoke(c)
	is.Rotate()
	srv.Mu.Unlock()
	if r := e.VerifyText(c.Text); r.Status != credential.Valid {
		t.Fatalf("revoked but not synced: %s", r.Status)
	}
	rep, err = e.Sync(ctx, client)
	if err != nil || rep.FullList || rep.StatusTo != 2 || rep.KeysetTo != 2 {
		t.Fatalf("delta sync: %+v %v", rep, err)
	}
	if r := e.VerifyText(c.Text); r.Status != credential.Revoked {
		t.Fatalf("after sync: %s", r.Status)
	}
	// A new process reads the same store and agrees.
	e2, err := verifier.Open(ctx, verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Bolt{Path: path}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if r := e2.VerifyText(c.Text); r.Status != credential.Revoked {
		t.Fatalf("reopened: %s", r.Status)
	}
	if info := e2.SyncInfo(); info.Source != hs.URL || info.LastError != "" || info.LastSuccess.IsZero() {
		t.Fatalf("sync info: %+v", info)
	}
	// Offline: an error, and nothing changes.
	hs.Close()
	if _, err := e.Sync(ctx, client); !errors.Is(err, verifier.ErrOffline) {
		t.Fatalf("offline: %v", err)
	}
	if r := e.VerifyText(c.Text); r.Status != credential.Revoked {
		t.Fatalf("after a failed sync: %s", r.Status)
	}
	if e.SyncInfo().LastError == "" {
		t.Fatal("failed sync not recorded")
	}
}

func TestImportExportRollback(t *testing.T) {
	t.Parallel()
	is := testissuer.New("bundles", t0)
	old := is.Bundle()
	c := is.Issue(2)
	is.Now = t0.Add(time.Hour)
	is.Revoke(c)
	clk := &clock{t0.Add(2 * time.Hour)}
	e, _ := newEngine(t, is, clk)
	if err := e.Import(context.Background(), old, "usb"); !errors.Is(err, trust.ErrRollback) {
		t.Fatalf("older bundle: %v", err)
	}
	data, err := e.Export()
	if err != nil {
		t.Fatal(err)
	}
	// A never-online verifier imports the exported bundle.
	e2, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := e2.Import(context.Background(), data, "usb"); err != nil {
		t.Fatal(err)
	}
	if r := e2.VerifyText(c.Text); r.Status != credential.Revoked {
		t.Fatalf("second verifier: %s", r.Status)
	}
	if err := e2.Import(context.Background(), []byte("not a bundle"), "usb"); err == nil {
		t.Fatal("imported junk")
	}
}
