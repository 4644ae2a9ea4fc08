package keyset_test

import (
	"crypto/ed25519"
	"regexp"
	"testing"

	"github.com/minedu-cla/cla/crypto/keyset"
)

// TestFingerprint: the root-key fingerprint people read to each other on
// the phone is SHA-256 of the 32 raw key bytes, first 20 bytes, in Crockford
// base32, 8 groups of 4; a fixed vector pins the encoding.
func TestFingerprint(t *testing.T) {
	zero := make(ed25519.PublicKey, ed25519.PublicKeySize)
	// sha256(32 zero bytes) begins 66687aadf862bd776c8fc18b8e9f8e2008971485
	if got, want := keyset.Fingerprint(zero), "CSM7 NBFR CAYQ EV4F R65R X7WE 4049 E545"; got != want {
		t.Errorf("Fingerprint(zero) = %q, want %q", got, want)
	}
	pub := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	fp := keyset.Fingerprint(pub)
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){7}$`).MatchString(fp) {
		t.Errorf("Fingerprint = %q: not 8 groups of 4 Crockford base32 characters", fp)
	}
	other := append(ed25519.PublicKey(nil), pub...)
	other[31] ^= 1
	if keyset.Fingerprint(other) == fp {
		t.Error("two keys, one fingerprint")
	}
	if keyset.Fingerprint(pub[:31]) != "" {
		t.Error("a short key has a fingerprint")
	}
}
