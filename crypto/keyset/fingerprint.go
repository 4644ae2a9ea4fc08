package keyset

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// crockford is Crockford's base32 alphabet: digits and capitals without I,
// L, O and U, so nothing read aloud is mistaken for another character.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Fingerprint is what a person compares, on the phone or on paper, to be
// sure a root key is the Ministry's: the first 20 bytes (160 bits) of the
// SHA-256 of the 32 raw key bytes, in Crockford base32, as 8 groups of 4
// characters ("CSM7 NBFR CAYQ EV4F R65R X7WE 4049 E545"). It returns "" for
// a value that is not an Ed25519 public key.
func Fingerprint(pub ed25519.PublicKey) string {
	if len(pub) != ed25519.PublicKeySize {
		return ""
	}
	sum := sha256.Sum256(pub)
	s := crockford.EncodeToString(sum[:20])
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i : i+4])
	}
	return b.String()
}
