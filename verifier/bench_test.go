package verifier_test

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
)

// BenchmarkVerifyText: Verify of a QR text by an engine backed by a bbolt
// store (keyset and status list loaded) against the baseline, a bare
// ed25519.Verify of the same signed bytes. Goal: ≤ 1.3×.
func BenchmarkVerifyText(b *testing.B) {
	is := testissuer.New("bench", t0)
	c := is.Issue(13)
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Bolt{Path: filepath.Join(b.TempDir(), "trust.db")}, Now: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Import(context.Background(), is.Bundle(), "bench"); err != nil {
		b.Fatal(err)
	}
	msg, _ := credential.Decode(c.Text)
	pub := is.Signer.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(is.Signer, msg)
	b.Run("baseline=ed25519.Verify", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("bad")
			}
		}
	})
	b.Run("Engine.VerifyText", func(b *testing.B) {
		for b.Loop() {
			if r := e.VerifyText(c.Text); r.Status != credential.Valid {
				b.Fatal(r.Status)
			}
		}
	})
}
