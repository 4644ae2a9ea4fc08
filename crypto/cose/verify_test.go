package cose

import (
	"crypto/ed25519"
	"testing"
)

// TestVerifyEd25519: whichever implementation this build uses (crypto/ed25519,
// or crypto/internal/ed25519verify under js/wasm), it agrees with crypto/ed25519 on
// a valid signature and on altered ones. crypto/internal/ed25519verify's own tests
// cover the edge cases.
func TestVerifyEd25519(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	msg := sigStructure([]byte{0xa1, 0x01, 0x27}, nil, []byte("payload"))
	sig := ed25519.Sign(priv, msg)
	check := func(name string, msg, sig []byte) {
		t.Helper()
		if got, want := verifyEd25519(pub, msg, sig), ed25519.Verify(pub, msg, sig); got != want {
			t.Errorf("%s: verifyEd25519 = %v, crypto/ed25519.Verify = %v", name, got, want)
		}
	}
	check("valid", msg, sig)
	if !verifyEd25519(pub, msg, sig) {
		t.Error("valid signature rejected")
	}
	for _, i := range []int{0, 31, 32, 63} {
		bad := append([]byte(nil), sig...)
		bad[i] ^= 1
		check("signature byte changed", msg, bad)
	}
	check("message changed", append(msg[:len(msg):len(msg)], 0), sig)
	check("short signature", msg, sig[:63])
}
