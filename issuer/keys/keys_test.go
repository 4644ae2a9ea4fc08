package keys

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

var cheap = keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestDevKeys(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	o := Options{Dir: dir, Dev: true, Now: func() time.Time { return now }, Rand: rand.Reader, KDF: cheap}
	k, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	priv, key, err := k.Signer()
	if err != nil || priv == nil || key.Status != keyset.Active {
		t.Fatalf("signer: %v", err)
	}
	ks, docs := k.Keyset()
	if ks.Seq != 1 || len(docs) != 1 {
		t.Fatalf("keyset %d, %d docs", ks.Seq, len(docs))
	}
	// Restart: the same keys, from the saved passphrase.
	k2, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	priv2, _, _ := k2.Signer()
	if !priv2.Equal(priv) {
		t.Fatal("a restart changed the signing key")
	}
	if st, _ := os.Stat(filepath.Join(dir, "dev-passphrase")); st.Mode().Perm() != 0o600 {
		t.Fatalf("dev-passphrase mode %v", st.Mode())
	}
	jwks, err := k.JWKS()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := keyset.ParseJWKS(jwks); err != nil || len(got) != 1 {
		t.Fatalf("JWKS: %v", err)
	}
	// Two years later the key may not sign.
	now = now.AddDate(2, 1, 0)
	if _, _, err := k.Signer(); !errors.Is(err, ErrNoSigner) {
		t.Fatalf("expired key signs: %v", err)
	}
}

func TestProductionNeedsKeyset(t *testing.T) {
	if _, err := Open(Options{Dir: t.TempDir(), Now: time.Now, Rand: rand.Reader}); err == nil {
		t.Fatal("opened an empty key folder without Dev")
	}
}

func TestWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	o := Options{Dir: dir, Dev: true, Now: time.Now, Rand: rand.Reader, KDF: cheap}
	if _, err := Open(o); err != nil {
		t.Fatal(err)
	}
	o.Dev, o.Passphrase = false, []byte("wrong")
	if _, err := Open(o); !errors.Is(err, keyfile.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
}
