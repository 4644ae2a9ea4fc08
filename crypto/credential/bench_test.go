package credential_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

// BenchmarkOpen: goal ≤ 1.25× the baseline, a bare ed25519.Verify of a
// message of the same size (docs/DESIGN.md; the rest — base45, CBOR, COSE,
// schema — must stay small next to the signature check).
func BenchmarkOpen(b *testing.B) {
	text, _, _, err := sample.Sealed(signer, sample.Student(), 13)
	if err != nil {
		b.Fatal(err)
	}
	msg, _ := credential.Decode(text)
	sig := ed25519.Sign(signer, msg)
	b.Run("baseline=ed25519.Verify", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := credential.Open(text, keys); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSeal: goal ≤ 1.5× the baseline, a bare ed25519.Sign.
func BenchmarkSeal(b *testing.B) {
	_, c, _, err := sample.Sealed(signer, sample.Student(), 13)
	if err != nil {
		b.Fatal(err)
	}
	text, _ := credential.Seal(signer, c)
	msg, _ := credential.Decode(text)
	b.Run("baseline=ed25519.Sign", func(b *testing.B) {
		for b.Loop() {
			ed25519.Sign(signer, msg)
		}
	})
	b.Run("Seal", func(b *testing.B) {
		for b.Loop() {
			if _, err := credential.Seal(signer, c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

var _ keyset.Lookup = keys
