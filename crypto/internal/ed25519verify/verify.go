// Package ed25519verify verifies Ed25519 signatures exactly as
// crypto/ed25519.Verify does (Go 1.26), on the vendored
// crypto/internal/edwards25519 instead of the standard library's copy.
//
// It exists for the browser verifier: under GOOS=js GOARCH=wasm the
// standard library's field arithmetic rests on math/bits.Mul64, which is not
// an intrinsic there, while crypto/internal/edwards25519 multiplies with 32-bit
// partial products on wasm. Native builds keep calling crypto/ed25519 (see
// crypto/cose); this package carries no build tag so that its tests compare
// it with crypto/ed25519 on every platform.
package ed25519verify

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"strconv"

	"github.com/minedu-cla/cla/crypto/internal/edwards25519"
)

// Verify reports whether sig is a valid signature of message by publicKey,
// with the acceptance rules of crypto/ed25519.Verify, which it follows step
// by step (crypto/internal/fips140/ed25519, verifyWithDom, pure Ed25519):
//
//   - a public key of the wrong length panics, as there;
//   - the public key must decode to a point on the curve (edwards25519
//     Point.SetBytes: non-canonical y encodings, y ≥ p, are accepted, small
//     order points too);
//   - the signature must be 64 bytes, with the top three bits of S clear
//     and S < L (canonical);
//   - with k = SHA-512(R ‖ A ‖ M) mod L, the encoding of [S]B − [k]A must
//     equal the 32 bytes R of the signature byte for byte (cofactorless;
//     R is never decoded, so a non-canonical R never matches).
func Verify(publicKey ed25519.PublicKey, message, sig []byte) bool {
	if l := len(publicKey); l != ed25519.PublicKeySize {
		panic("ed25519: bad public key length: " + strconv.Itoa(l))
	}
	A, err := new(edwards25519.Point).SetBytes(publicKey)
	if err != nil {
		return false
	}
	if len(sig) != ed25519.SignatureSize {
		return false
	}
	if sig[63]&224 != 0 {
		return false
	}

	kh := sha512.New()
	kh.Write(sig[:32])
	kh.Write(publicKey)
	kh.Write(message)
	var digest [sha512.Size]byte
	k, err := edwards25519.NewScalar().SetUniformBytes(kh.Sum(digest[:0]))
	if err != nil {
		panic("ed25519: internal error: setting scalar failed")
	}

	S, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}

	// [S]B = R + [k]A --> [k](-A) + [S]B = R
	minusA := new(edwards25519.Point).Negate(A)
	R := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(k, minusA, S)

	return bytes.Equal(sig[:32], R.Bytes())
}
