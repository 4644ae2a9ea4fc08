package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Subject names a citizen in the trail without their document number:
// HMAC-SHA256 under the issuer's secret of "cla-audit-subject\x00" +
// docKind + ":" + docNumber, in hex. Without the secret it cannot be
// reversed by trying all 10^8 DNIs; with it, the registrar answering a
// data-subject request can find every entry about that person.
//
// It is domain-separated from store.StudentKey (same secret or not), so an
// audit subject does not join the constancias' student index. Callers pass
// the document as the store does (kind "DNI", the 8 digits).
func Subject(secret []byte, docKind, docNumber string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("cla-audit-subject\x00" + docKind + ":" + docNumber))
	return hex.EncodeToString(m.Sum(nil))
}
