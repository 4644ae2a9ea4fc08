package setup_test

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/verifier/setup"
)

func key(b byte) ed25519.PublicKey {
	seed := make([]byte, 32)
	seed[0] = b
	return ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
}

// TestPinLasts: a pinned root is in the roots file once, is found by the
// next run with no flag and no CLA_ROOTS, says where it comes from, and is
// removed by key or by fingerprint; a built-in root is never removed.
func TestPinLasts(t *testing.T) {
	t.Setenv("CLA_ROOTS", "")
	store := filepath.Join(t.TempDir(), "cfg", "trust.db")
	a, b, emb := key(1), key(2), key(3)
	old := setup.Embedded
	setup.Embedded = "# built in\n" + setup.EncodeRoot(emb) + "\n"
	t.Cleanup(func() { setup.Embedded = old })

	added, err := setup.Pin(store, a, a, emb)
	if err != nil || len(added) != 1 || !added[0].Equal(a) {
		t.Fatalf("Pin(a, a, embedded) = %v, %v; want a only", added, err)
	}
	if added, err := setup.Pin(store, a, b); err != nil || len(added) != 1 || !added[0].Equal(b) {
		t.Fatalf("Pin(a, b) = %v, %v; want b only", added, err)
	}
	data, _ := os.ReadFile(setup.RootsFile(store))
	if n := strings.Count(string(data), setup.EncodeRoot(a)); n != 1 {
		t.Errorf("key a %d times in the roots file:\n%s", n, data)
	}
	if !strings.Contains(string(data), "# "+keyset.Fingerprint(b)+"\n"+setup.EncodeRoot(b)) {
		t.Errorf("no fingerprint above key b:\n%s", data)
	}

	t.Setenv("CLA_ROOTS", setup.EncodeRoot(b))
	rs, err := setup.Roots([]string{setup.EncodeRoot(a)}, store)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Source)
		if r.Fingerprint != keyset.Fingerprint(r.Key) || r.Public != setup.EncodeRoot(r.Key) {
			t.Errorf("root %v: fingerprint %q, public %q", r.Key, r.Fingerprint, r.Public)
		}
	}
	if strings.Join(got, ",") != "flag,env,embedded" {
		t.Errorf("sources = %v, want flag,env,embedded (each key once, first source)", got)
	}
	t.Setenv("CLA_ROOTS", "")
	if roots, _ := setup.PinnedRoots(nil, store); len(roots) != 3 {
		t.Errorf("next run pins %d roots, want 3 (two in the file, one built in)", len(roots))
	}

	if _, err := setup.Unpin(store, strings.ToLower(strings.ReplaceAll(keyset.Fingerprint(emb), " ", "-"))); !errors.Is(err, setup.ErrEmbeddedRoot) {
		t.Errorf("Unpin(embedded) = %v, want ErrEmbeddedRoot", err)
	}
	if k, err := setup.Unpin(store, keyset.Fingerprint(a)); err != nil || !k.Equal(a) {
		t.Errorf("Unpin(fingerprint of a) = %v, %v", k, err)
	}
	if k, err := setup.Unpin(store, setup.EncodeRoot(b)); err != nil || !k.Equal(b) {
		t.Errorf("Unpin(key b) = %v, %v", k, err)
	}
	if _, err := setup.Unpin(store, setup.EncodeRoot(b)); !errors.Is(err, setup.ErrNotPinned) {
		t.Errorf("Unpin twice = %v, want ErrNotPinned", err)
	}
	data, _ = os.ReadFile(setup.RootsFile(store))
	if strings.Contains(string(data), keyset.Fingerprint(a)) || strings.Contains(string(data), setup.EncodeRoot(b)) {
		t.Errorf("removed keys left in the file:\n%s", data)
	}
	if roots, _ := setup.PinnedRoots(nil, store); len(roots) != 1 {
		t.Errorf("after removal %d roots, want the built-in one", len(roots))
	}
}
