package vectors

import (
	"encoding/json"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
)

// claimsMap is the claims of the short sample as a plain map, to break one
// schema rule at a time and sign the result properly.
func claimsMap(s *sealed) map[int64]any {
	c := s.claims
	var years []byte
	for _, y := range c.Years {
		v := uint16(y.Year-2000)<<9 | uint16(y.Level)<<7 | uint16(y.Grade)<<4 | uint16(y.Result)<<2
		years = append(years, byte(v>>8), byte(v))
	}
	return map[int64]any{
		1: c.Issuer,
		6: uint64(c.IssuedAt.Unix()),
		-65537: map[int64]any{
			1: c.Code,
			2: c.StatusIndex,
			3: []any{uint8(c.Student.DocType), c.Student.DocNumber, c.Student.GivenNames, c.Student.FirstSurname, c.Student.SecondSurname},
			4: years,
			5: c.RecordDigest,
		},
	}
}

// signedVariant signs the short sample's claims after change, with a
// payload encoded deterministically (or as raw when change returns bytes).
func signedVariant(s *sealed, change func(m map[int64]any, summary map[int64]any)) string {
	m := claimsMap(s)
	change(m, m[-65537].(map[int64]any))
	payload, err := marshalLoose(m)
	if err != nil {
		panic(err)
	}
	return qrOf(rawSign1(signKey, protected(-8, signKey), []byte{0xa0}, payload))
}

func moreCredentials(good json.RawMessage, short, long *sealed) ([]Credential, error) {
	retired := signingWindow()
	retired.Status = keyset.Retired
	retiredJWKS, err := jwks(retired)
	if err != nil {
		return nil, err
	}
	student := func(sm map[int64]any) []any { return sm[3].([]any) }
	// A raw payload for encodings a Go map cannot express.
	rawVariant := func(payload []byte) string {
		return qrOf(rawSign1(signKey, protected(-8, signKey), []byte{0xa0}, payload))
	}
	p := payloadOf(short.msg)
	iatAt := 1 + 8 // after the map header and 01 66 "MINEDU"
	nonShortest := append(append(append([]byte{}, p[:iatAt+1]...), 0x1b, 0, 0, 0, 0), p[iatAt+2:]...)
	float := append(append(append([]byte{}, p[:iatAt+1]...), 0xfa, 0x4f, 0x00, 0x00, 0x00), p[iatAt+6:]...)
	tagged := append(append(append([]byte{}, p[:iatAt+1]...), 0xc1), p[iatAt+1:]...)
	badUTF8 := replaceOnce(p, "RUIZ", "RU\xffZ")

	return []Credential{
		{Name: "record-mismatch", Description: "a valid code with the full record of another constancia attached",
			QR: short.qr, JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims),
			Record: b64.EncodeToString(long.record), RecordExpected: "valid", RecordMatches: &no},
		{Name: "retired-key", Description: "signed within the window of a key retired since: still valid",
			QR: short.qr, JWKS: retiredJWKS, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "payload-non-shortest-int", Description: "iat as an 8-byte integer (correctly signed)",
			QR: rawVariant(nonShortest), JWKS: good, Expected: "malformed"},
		{Name: "payload-float", Description: "iat as a float (correctly signed)", QR: rawVariant(float), JWKS: good, Expected: "malformed"},
		{Name: "payload-tag", Description: "iat under tag 1 (correctly signed)", QR: rawVariant(tagged), JWKS: good, Expected: "malformed"},
		{Name: "payload-invalid-utf8", Description: "a surname that is not UTF-8 (correctly signed)",
			QR: rawVariant(badUTF8), JWKS: good, Expected: "malformed"},
		{Name: "bad-check-symbol", Description: "a virtual code whose Damm check symbol is wrong (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { sm[1] = "7K3M9QXT2HBNN" }), JWKS: good, Expected: "malformed"},
		{Name: "years-reserved-bits", Description: "packed years with a reserved bit set (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { y := sm[4].([]byte); y[1] |= 1 }), JWKS: good, Expected: "malformed"},
		{Name: "year-2012", Description: "a school year before 2013 (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { y := sm[4].([]byte); y[0] = 12 << 1 }), JWKS: good, Expected: "malformed"},
		{Name: "years-not-ascending", Description: "the first two years swapped (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) {
				y := sm[4].([]byte)
				y[0], y[1], y[2], y[3] = y[2], y[3], y[0], y[1]
			}), JWKS: good, Expected: "malformed"},
		{Name: "name-control-character", Description: "a line feed inside the given names (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[2] = "ANA\nMARÍA" }), JWKS: good, Expected: "malformed"},
		{Name: "name-surrounding-space", Description: "a trailing space after the surname (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[3] = "RUIZ " }), JWKS: good, Expected: "malformed"},
		{Name: "bad-doc-number", Description: "a DNI of 7 digits (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { student(sm)[1] = "1011741" }), JWKS: good, Expected: "malformed"},
		{Name: "status-index-too-large", Description: "a status-list index of 2^24, past the largest list (correctly signed)",
			QR: signedVariant(short, func(_, sm map[int64]any) { sm[2] = uint64(1 << 24) }), JWKS: good, Expected: "malformed"},
		{Name: "unknown-claim", Description: "an extra claim 7 (cti) in the payload (correctly signed)",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[7] = []byte{1} }), JWKS: good, Expected: "malformed"},
		{Name: "iat-in-the-future-of-the-key", Description: "iat after the key's not_after (2027-01-01T00:00:00Z; the window ends 2026-12-31T23:59:59Z)",
			QR: signedVariant(short, func(m, _ map[int64]any) {
				m[6] = uint64(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
			}), JWKS: good, Expected: "key_not_valid", Claims: withIat(short, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))},
		{Name: "iat-at-not-after", Description: "iat exactly at the key's not_after: the window is inclusive",
			QR: signedVariant(short, func(m, _ map[int64]any) { m[6] = uint64(windowEnd.Unix()) }), JWKS: good, Expected: "valid",
			Claims: withIat(short, windowEnd)},
	}, nil
}

// withIat is the JSON of the short sample's claims with another iat.
func withIat(s *sealed, iat time.Time) *Claims {
	c := claimsJSON(s.claims)
	c.IssuedAt = iat.Unix()
	return c
}
