package vectors

import (
	"bytes"
	"strings"
	"time"

	"github.com/minedu-cla/cla/crypto/vcode"
)

// textCredentials: the text rule (iss and names), the virtual code's signed
// form, and the bounds of iat; each a correctly signed payload.
func textCredentials(good, plain []byte, short *sealed) ([]Credential, error) {
	student := func(sm map[int64]any) []any { return sm[3].([]any) }
	// A code with a 0 in it, to spell with the letter O.
	zero, err := vcode.New(bytes.NewReader([]byte{0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd}))
	if err != nil {
		return nil, err
	}
	if !strings.Contains(zero[1:], "0") {
		panic("no 0 in " + zero)
	}
	withO := zero[:1] + strings.Replace(zero[1:], "0", "O", 1)
	oneClaims := withIat(short, time.Unix(1, 0))
	return []Credential{
		{Name: "iss-control-character", Description: "an iss with a BEL (U+0007): iss is under the text rule (correctly signed)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[1] = "MINEDU\a" }), JWKS: good, Expected: "malformed"},
		{Name: "iss-surrounding-space", Description: "an iss with a trailing space (correctly signed)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[1] = "MINEDU " }), JWKS: good, Expected: "malformed"},
		{Name: "name-soft-hyphen", Description: "a soft hyphen U+00AD (format, Cf) in the given names (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[2] = "ANA\u00adMARÍA" }), JWKS: good, Expected: "malformed"},
		{Name: "name-u13439", Description: "U+13439, a format character (Cf) since Unicode 15.0, in the given names: refused by the pinned table whatever the runtime's Unicode (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[2] = "ANA\U00013439" }), JWKS: good, Expected: "malformed"},
		{Name: "name-replacement-character", Description: "U+FFFD in the first surname (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[3] = "RU\ufffdZ" }), JWKS: good, Expected: "malformed"},
		{Name: "name-no-break-space", Description: "U+00A0 between two given names (white space other than U+0020; correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[2] = "ANA\u00a0MARÍA" }), JWKS: good, Expected: "malformed"},
		{Name: "code-lowercase", Description: "the virtual code in lowercase: the signed form is canonical only (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { sm[1] = strings.ToLower(short.claims.Code) }), JWKS: good, Expected: "malformed"},
		{Name: "code-with-dashes", Description: "the virtual code grouped with dashes as printed (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { sm[1] = vcode.Format(short.claims.Code) }), JWKS: good, Expected: "malformed"},
		{Name: "code-letter-o", Description: "a virtual code with the letter O for a 0 (" + withO + " for " + zero + "; correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { sm[1] = withO }), JWKS: good, Expected: "malformed"},
		{Name: "iat-zero", Description: "iat 0: iat is from 1 (correctly signed; the JWKS has no window, so only the bound refuses it)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[6] = uint64(0) }), JWKS: plain, Expected: "malformed"},
		{Name: "iat-one", Description: "iat 1 (1970-01-01T00:00:01Z), the smallest iat, under a key with no window (correctly signed)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[6] = uint64(1) }), JWKS: plain, Expected: "valid", Claims: oneClaims},
		{Name: "iat-after-9999", Description: "iat 253402300800, one second after 9999-12-31T23:59:59Z (correctly signed)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[6] = uint64(253402300800) }), JWKS: plain, Expected: "malformed"},
	}, nil
}
