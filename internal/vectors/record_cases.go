package vectors

import (
	"github.com/fxamacker/cbor/v2"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
)

// recordVariant signs the full record of s after change, which edits the
// record's payload as plain CBOR values (maps keyed by uint64 or int64).
func recordVariant(s *sealed, change func(body map[any]any)) ([]byte, error) {
	var payload any
	if err := cbor.Unmarshal(payloadOf(s.record), &payload); err != nil {
		return nil, err
	}
	change(payload.(map[any]any)[int64(-65538)].(map[any]any))
	b, err := marshalLoose(payload)
	if err != nil {
		return nil, err
	}
	return cose.SignDocument(signKey, credential.RecordContentType, b)
}

// recordCredentials: the full record's rules (FORMAT.md, "Full record"),
// each a record signed correctly beside the short sample's code.
func recordCredentials(good []byte, short *sealed) ([]Credential, error) {
	year := func(body map[any]any, i int) map[any]any { return body[uint64(4)].([]any)[i].(map[any]any) }
	cases := []struct {
		name, desc string
		change     func(body map[any]any)
	}{
		{"record-grade-out-of-range", "a primaria year with grade 7 (primaria is 1–6)", func(b map[any]any) { year(b, 2)[uint64(3)] = uint64(7) }},
		{"record-inicial-age-2", "an inicial year with age 2 (inicial is 3–5)", func(b map[any]any) { year(b, 0)[uint64(3)] = uint64(2) }},
		{"record-status-index-too-large", "a status-list index of 2^24 in the record (the bound of the QR code holds here too)",
			func(b map[any]any) { b[uint64(2)] = uint64(1 << 24) }},
		{"record-mark-one-digit", "scale 3 (vigesimal) with a mark \"7\": vigesimal marks are exactly two digits", func(b map[any]any) {
			y := year(b, 2)
			y[uint64(5)] = uint64(3)
			for _, list := range []any{y[uint64(6)], y[uint64(7)]} {
				for _, m := range list.([]any) {
					m.([]any)[1] = "15"
				}
			}
			y[uint64(6)].([]any)[0].([]any)[1] = "7"
		}},
		{"record-observation-control-character", "an observation with a tab inside (the text rule)", func(b map[any]any) {
			year(b, 2)[uint64(9)] = []any{"2015 - R.D. N.° 0001-2015 -\tTRASLADO"}
		}},
		{"record-area-surrounding-space", "an area name with a trailing space (the text rule)", func(b map[any]any) {
			year(b, 2)[uint64(6)].([]any)[0].([]any)[0] = "MATEMÁTICA "
		}},
		{"record-ubigeo-five-digits", "a school ubigeo of 5 digits", func(b map[any]any) { year(b, 1)[uint64(4)].([]any)[3] = "15010" }},
	}
	var out []Credential
	for _, c := range cases {
		doc, err := recordVariant(short, c.change)
		if err != nil {
			return nil, err
		}
		out = append(out, Credential{Name: c.name, Description: c.desc + " (correctly signed), beside a valid code",
			QR: short.qr, JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims),
			Record: b64.EncodeToString(doc), RecordExpected: "malformed", RecordMatches: &no})
	}
	// An observation outside the "{year} - {resolution} - {reason}" layout:
	// a convention, not a rule; the record is valid and is the code's.
	r := sample.Record(sample.ShortStudent(), 3)
	r.IssuedAt = short.claims.IssuedAt
	r.Years[2].Observations = []string{"TRASLADO A OTRA INSTITUCIÓN EDUCATIVA"}
	doc, err := credential.SealRecord(signKey, r)
	if err != nil {
		return nil, err
	}
	c := sample.Claims(r, doc)
	qr, err := credential.Seal(signKey, c)
	if err != nil {
		return nil, err
	}
	return append(out, Credential{Name: "record-observation-free-form", Description: "an observation that does not follow the \"{year} - {resolution} - {reason}\" layout: valid, the layout is not a decoding rule",
		QR: qr, JWKS: good, Expected: "valid", Claims: claimsJSON(c), Record: b64.EncodeToString(doc), RecordExpected: "valid",
		RecordMatches: &yes}), nil
}
