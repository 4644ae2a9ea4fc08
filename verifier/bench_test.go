package verifier_test

import (
	"context"
	"crypto/ed25519"
	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/verifier/trust"
	bolt "go.etcd.io/bbolt"
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

// BenchmarkOpenStore: opening a bbolt store that holds a list and 64
// deltas (the most a verifier keeps): the page check, the walk, the
// restore from head and bits, and the replay of the export history;
// against the baseline, bbolt's own Load of the same file with no checks
// (a read of every record).
func BenchmarkOpenStore(b *testing.B) {
	is := testissuer.New("bench open", t0)
	first, err := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets, List: is.Lists[1]}).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "trust.db")
	roots := []ed25519.PublicKey{is.RootPublic()}
	e, _ := verifier.Open(context.Background(), verifier.Options{Roots: roots, Store: &store.Bolt{Path: path}})
	if err := e.Import(context.Background(), first, "bench"); err != nil {
		b.Fatal(err)
	}
	var deltas [][]byte
	for i := range trust.MaxHistory {
		is.Now = t0.Add(time.Duration(i+1) * time.Minute)
		is.Revoke(is.Issue(1))
		deltas = append(deltas, is.Deltas[uint64(i+1)])
	}
	all, _ := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets, List: is.Lists[1], Deltas: deltas}).Marshal()
	if err := e.Import(context.Background(), all, "bench"); err != nil {
		b.Fatal(err)
	}
	b.Run("baseline=bolt.View", func(b *testing.B) {
		for b.Loop() {
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			db.View(func(tx *bolt.Tx) error {
				return tx.ForEach(func(_ []byte, bk *bolt.Bucket) error {
					return bk.ForEach(func(k, v []byte) error { n += len(v); return nil })
				})
			})
			db.Close()
		}
	})
	b.Run("verifier.Open", func(b *testing.B) {
		for b.Loop() {
			e, err := verifier.Open(context.Background(), verifier.Options{Roots: roots, Store: &store.Bolt{Path: path}})
			if err != nil || e.State().List.Seq != uint64(trust.MaxHistory+1) {
				b.Fatal(err)
			}
		}
	})
}
