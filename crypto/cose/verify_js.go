//go:build js && wasm

package cose

import (
	"crypto/ed25519"

	"github.com/minedu-cla/cla/crypto/internal/ed25519verify"
)

// verifyEd25519 is crypto/ed25519.Verify with the same verdicts, computed
// in the browser verifier by crypto/internal/ed25519verify: there the standard
// library's field arithmetic rests on math/bits.Mul64, which wasm lacks as
// an instruction, and verification ran 7–8 times slower than native.
func verifyEd25519(pub ed25519.PublicKey, msg, sig []byte) bool {
	return ed25519verify.Verify(pub, msg, sig)
}
