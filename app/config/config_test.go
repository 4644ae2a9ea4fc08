package config

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
)

func b64(k ed25519.PublicKey) string { return base64.RawURLEncoding.EncodeToString(k) }

// TestRoots: every form a root key comes in, from every place cla-verify
// reads, in cla-verify's order.
func TestRoots(t *testing.T) {
	dir := t.TempDir()
	keys := make([]ed25519.PublicKey, 5)
	for i := range keys {
		keys[i], _, _ = ed25519.GenerateKey(rand.Reader)
	}
	pubFile := filepath.Join(dir, "root.pub") // as the issuer writes it
	if err := os.WriteFile(pubFile, []byte(b64(keys[1])+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	keys[2] = priv.Public().(ed25519.PublicKey)
	keyFile := filepath.Join(dir, "raiz.key") // a cla-keys root key file: only its public part is read
	sealed, err := keyfile.Seal(priv, keyfile.RoleRoot, []byte("una frase larga"),
		keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, sealed, keyfile.Perm); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "store", "trust.db")
	if err := os.MkdirAll(filepath.Dir(store), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "store", "roots"), []byte("# office keys\n"+b64(keys[4])+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CLA_ROOTS", b64(keys[3]))
	t.Setenv("CLA_STORE", store)
	c, err := Parse([]string{"--root", b64(keys[0]), "--root", pubFile, "--root", keyFile, "a.pdf"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Store != store || len(c.Files) != 1 || c.Files[0] != "a.pdf" {
		t.Fatalf("config %+v", c)
	}
	roots, err := c.PinnedRoots()
	if err != nil {
		t.Fatal(err)
	}
	order := []ed25519.PublicKey{keys[0], keys[1], keys[2], keys[3], keys[4]}
	if len(roots) < len(order) {
		t.Fatalf("%d roots", len(roots))
	}
	for i, k := range order {
		if !roots[i].Equal(k) {
			t.Errorf("root %d is not the expected key", i)
		}
	}
	if _, err := ParseRoot("not-a-key"); err == nil {
		t.Error("a bad root spec was accepted")
	}
}

func TestIssuerFromEnv(t *testing.T) {
	t.Setenv("CLA_ISSUER_URL", "https://cla.example")
	c, err := Parse(nil, io.Discard)
	if err != nil || c.Issuer != "https://cla.example" {
		t.Fatalf("issuer %q, %v", c.Issuer, err)
	}
	c, _ = Parse([]string{"--issuer", "http://127.0.0.1:8080"}, io.Discard)
	if c.Issuer != "http://127.0.0.1:8080" {
		t.Errorf("--issuer did not win over the environment: %q", c.Issuer)
	}
}

// TestOpen: the engine opens on the shared store; with a bad root it
// still opens (memory only) and says why.
func TestOpen(t *testing.T) {
	t.Setenv("CLA_ROOTS", "")
	is := testissuer.New("config", time.Now().Add(-time.Hour))
	c := Config{Store: filepath.Join(t.TempDir(), "d", "trust.db"), Roots: []string{b64(is.RootPublic())}}
	e, n, err := c.Open(context.Background(), time.Now)
	if err != nil || n < 1 {
		t.Fatalf("open: %d roots, %v", n, err)
	}
	if err := e.Import(context.Background(), is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	again, _, err := c.Open(context.Background(), time.Now) // what cla-verify would see
	if err != nil || again.State().Keyset == nil {
		t.Fatalf("the store did not keep the bundle: %v", err)
	}
	if r := again.VerifyText(is.Issue(3).Text); r.Status != "valid" {
		t.Errorf("status %s", r.Status)
	}
	bad := Config{Store: c.Store, Roots: []string{"nope"}}
	e, n, err = bad.Open(context.Background(), time.Now)
	if e == nil || n != 0 || err == nil {
		t.Fatalf("bad root: engine %v, %d roots, %v", e != nil, n, err)
	}
	if r := e.VerifyText("CLA1:X"); r.Status == "valid" || errors.Is(err, verifier.ErrCorruptStore) {
		t.Errorf("bad root: %s, %v", r.Status, err)
	}
}
