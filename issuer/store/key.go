package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// StudentKey identifies a student by document without storing the number
// in an index: HMAC-SHA256 under the issuer's secret of "KIND:NUMBER". The
// number is on the constancia itself (it is what it shows), but indexes and
// statistics need not repeat it, and a leaked index without the secret
// cannot be reversed by trying all 10^8 DNIs.
func StudentKey(secret []byte, kind, number string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(kind + ":" + number))
	return hex.EncodeToString(m.Sum(nil))
}
