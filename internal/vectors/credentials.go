package vectors

import (
	"bytes"
	"compress/zlib"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/minedu-cla/cla/crypto/base45"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/dcbor"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func keysetKID(k ed25519.PrivateKey) []byte { return cose.KeyID(pub(k)) }

func jwks(keys ...keyset.Key) (json.RawMessage, error) {
	b, err := keyset.MarshalJWKS(keys)
	if err != nil {
		return nil, err
	}
	var compact bytes.Buffer
	err = json.Compact(&compact, b)
	return compact.Bytes(), err
}

func qrOf(msg []byte) string { return credential.Prefix + base45.Encode(msg) }

func zlibOf(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// rawSign1 builds a tagged COSE_Sign1 from raw header bytes and signs it
// with k, whatever the headers say: for cases that must fail on structure
// alone, with a signature that verifies.
func rawSign1(k ed25519.PrivateKey, prot, unprot, payload []byte) []byte {
	tbs, _ := dcbor.Marshal([]any{"Signature1", prot, []byte{}, payload})
	body, _ := dcbor.Marshal([]any{prot, cbor.RawMessage(unprot), payload, ed25519.Sign(k, tbs)})
	return append([]byte{0xd2}, body...)
}

// protected returns {1: alg, 4: kid of k}.
func protected(alg int64, k ed25519.PrivateKey) []byte {
	b, _ := dcbor.Marshal(map[int64]any{1: alg, 4: cose.KeyID(pub(k))})
	return b
}

type sealed struct {
	qr     string
	msg    []byte // the COSE_Sign1 (uncompressed)
	claims *credential.Claims
	record []byte
}

func seal(k ed25519.PrivateKey, st credential.Student, years int, iat time.Time) (*sealed, error) {
	r := sample.Record(st, years)
	r.IssuedAt = iat
	doc, err := credential.SealRecord(k, r)
	if err != nil {
		return nil, err
	}
	c := sample.Claims(r, doc)
	qr, err := credential.Seal(k, c)
	if err != nil {
		return nil, err
	}
	msg, err := credential.Decode(qr)
	return &sealed{qr: qr, msg: msg, claims: c, record: doc}, err
}

// payloadOf returns the payload of a COSE_Sign1.
func payloadOf(msg []byte) []byte {
	m, err := cose.Decode(msg)
	if err != nil {
		panic(err)
	}
	return m.Payload
}

func replaceOnce(b []byte, old, new string) []byte {
	if !bytes.Contains(b, []byte(old)) {
		panic(fmt.Sprintf("%q not found", old))
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func credentials() ([]Credential, error) {
	iat := sample.IssuedAt
	good, err := jwks(signingWindow())
	if err != nil {
		return nil, err
	}
	compromised := signingWindow()
	compromised.Status = keyset.Compromised
	bad, err := jwks(compromised)
	if err != nil {
		return nil, err
	}
	short, err := seal(signKey, sample.ShortStudent(), 3, iat)
	if err != nil {
		return nil, err
	}
	long, err := seal(signKey, sample.Student(), 13, iat)
	if err != nil {
		return nil, err
	}
	repetitive := credential.Student{DocType: credential.CE, DocNumber: "000123456",
		GivenNames: strings.Repeat("ANA MARÍA ", 8) + "ANA", FirstSurname: strings.Repeat("QUISPE ", 8) + "QUISPE",
		SecondSurname: strings.Repeat("MAMANI ", 8) + "MAMANI"}
	zipped, err := seal(signKey, repetitive, 13, iat)
	if err != nil {
		return nil, err
	}
	if base45Prefix(zipped.qr) != 0x78 {
		return nil, fmt.Errorf("the zlib vector is not compressed")
	}
	ce, err := seal(signKey, credential.Student{DocType: credential.CE, DocNumber: "001234567",
		GivenNames: "JOSÉ GREGORIO", FirstSurname: "PÉREZ", SecondSurname: "GONZÁLEZ"}, 6, iat)
	if err != nil {
		return nil, err
	}
	noDoc, err := seal(signKey, credential.Student{DocType: credential.StudentCode, DocNumber: "15010120130042",
		GivenNames: "LUZ", FirstSurname: "ÑAUPARI", SecondSurname: ""}, 2, iat)
	if err != nil {
		return nil, err
	}
	early, err := seal(signKey, sample.ShortStudent(), 3, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	other, err := seal(otherKey, sample.ShortStudent(), 3, iat)
	if err != nil {
		return nil, err
	}

	payload := payloadOf(short.msg)
	prot := protected(cose.AlgEdDSA, signKey)
	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		if i < 0 {
			i += len(c)
		}
		c[i] ^= 0x01
		return c
	}
	withCtyp, _ := dcbor.Marshal(map[int64]any{1: cose.AlgEdDSA, 3: "application/cwt", 4: cose.KeyID(pub(signKey))})
	unprotKid, _ := dcbor.Marshal(map[int64]any{4: cose.KeyID(pub(signKey))})
	protNoKid, _ := dcbor.Marshal(map[int64]any{1: cose.AlgEdDSA})
	// {1: "MINEDU", 1: "MINEDU", …}: the first claim twice.
	dup := append([]byte{payload[0] + 1}, payload[1:9]...)
	dup = append(dup, payload[1:]...)
	// The same claims with the map's first two entries swapped.
	issLen := 8 // 01 66 "MINEDU"
	iatLen := 6 // 06 1a xx xx xx xx
	unsorted := append([]byte{payload[0]}, payload[1+issLen:1+issLen+iatLen]...)
	unsorted = append(unsorted, payload[1:1+issLen]...)
	unsorted = append(unsorted, payload[1+issLen+iatLen:]...)
	// The payload map re-encoded with an indefinite length.
	indef := append([]byte{0xbf}, payload[1:]...)
	indef = append(indef, 0xff)

	renamed := replaceOnce(short.msg, "RUIZ", "RUIS")
	kidAt := bytes.Index(short.msg, cose.KeyID(pub(signKey)))

	cases := []Credential{
		{Name: "valid-short", Description: "3 school years, short names, no zlib", QR: short.qr, JWKS: good, Expected: "valid",
			Claims: claimsJSON(short.claims)},
		{Name: "valid-13-years", Description: "13 school years, long names with accents and ñ; the signed full record attached",
			QR: long.qr, JWKS: good, Expected: "valid", Claims: claimsJSON(long.claims), Record: b64.EncodeToString(long.record),
			RecordExpected: "valid", RecordMatches: &yes},
		{Name: "valid-zlib", Description: "repetitive names: the COSE_Sign1 is zlib-compressed because that is shorter",
			QR: zipped.qr, JWKS: good, Expected: "valid", Claims: claimsJSON(zipped.claims)},
		{Name: "valid-carne-extranjeria", Description: "a student with a carné de extranjería (doc_type 2)", QR: ce.qr, JWKS: good,
			Expected: "valid", Claims: claimsJSON(ce.claims)},
		{Name: "valid-codigo-estudiante", Description: "a student with only a SIAGIE student code (doc_type 3), no second surname",
			QR: noDoc.qr, JWKS: good, Expected: "valid", Claims: claimsJSON(noDoc.claims)},
		{Name: "valid-surrounding-whitespace", Description: "spaces and line breaks around the text are ignored",
			QR: " \r\n" + short.qr + " \n", JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "altered-payload", Description: "one letter of the surname changed after signing", QR: qrOf(renamed),
			JWKS: good, Expected: "invalid_signature"},
		{Name: "altered-signature", Description: "last byte of the signature flipped", QR: qrOf(flip(short.msg, -1)),
			JWKS: good, Expected: "invalid_signature"},
		{Name: "altered-protected-kid", Description: "one bit of the protected kid flipped", QR: qrOf(flip(short.msg, kidAt)),
			JWKS: good, Expected: "unknown_key"},
		{Name: "altered-protected-header", Description: "a content type added to the protected header (correctly signed): not the CLA profile",
			QR: qrOf(rawSign1(signKey, withCtyp, []byte{0xa0}, payload)), JWKS: good, Expected: "malformed"},
		{Name: "alg-es256", Description: "alg -7 (ES256) in the protected header; only -8 is accepted",
			QR: qrOf(rawSign1(signKey, protected(-7, signKey), []byte{0xa0}, payload)), JWKS: good, Expected: "malformed"},
		{Name: "kid-unprotected", Description: "kid in the unprotected header instead of the protected one",
			QR: qrOf(rawSign1(signKey, protNoKid, unprotKid, payload)), JWKS: good, Expected: "malformed"},
		{Name: "unknown-kid", Description: "signed by a key that is not in the JWKS", QR: other.qr, JWKS: good, Expected: "unknown_key"},
		{Name: "untagged", Description: "COSE_Sign1 without tag 18", QR: qrOf(short.msg[1:]), JWKS: good, Expected: "malformed"},
		{Name: "trailing-bytes", Description: "one zero byte after the COSE_Sign1", QR: qrOf(append(bytes.Clone(short.msg), 0)),
			JWKS: good, Expected: "malformed"},
		{Name: "duplicate-map-key", Description: "the iss claim twice in the payload (correctly signed)",
			QR: qrOf(rawSign1(signKey, prot, []byte{0xa0}, dup)), JWKS: good, Expected: "malformed"},
		{Name: "non-deterministic-payload", Description: "claims map keys out of order (correctly signed)",
			QR: qrOf(rawSign1(signKey, prot, []byte{0xa0}, unsorted)), JWKS: good, Expected: "malformed"},
		{Name: "indefinite-length", Description: "claims map with an indefinite length (correctly signed)",
			QR: qrOf(rawSign1(signKey, prot, []byte{0xa0}, indef)), JWKS: good, Expected: "malformed"},
		{Name: "bad-base45-character", Description: "a '#' in the base45 text",
			QR: short.qr[:20] + "#" + short.qr[21:], JWKS: good, Expected: "malformed"},
		{Name: "bad-base45-dangling", Description: "the last base45 character cut off: a dangling single character",
			QR: short.qr[:len(short.qr)-1], JWKS: good, Expected: "malformed"},
		{Name: "bad-base45-overflow", Description: "a triple above 65535 (\"GGW\")", QR: credential.Prefix + "GGW" + short.qr[len(credential.Prefix)+3:],
			JWKS: good, Expected: "malformed"},
		{Name: "bad-prefix", Description: "HC1: instead of CLA1:", QR: "HC1:" + strings.TrimPrefix(short.qr, credential.Prefix),
			JWKS: good, Expected: "malformed"},
		{Name: "zlib-bomb", Description: "a zlib stream that inflates to 1 MiB (cap 64 KiB)",
			QR: qrOf(zlibOf(make([]byte, 1<<20))), JWKS: good, Expected: "malformed"},
		{Name: "zlib-trailing-bytes", Description: "a byte after the zlib stream",
			QR: qrOf(append(zlibOf(short.msg), 0)), JWKS: good, Expected: "malformed"},
		{Name: "key-not-valid", Description: "iat 2025-06-01, before the key's signing window (2026)", QR: early.qr,
			JWKS: good, Expected: "key_not_valid", Claims: claimsJSON(early.claims)},
		{Name: "key-compromised", Description: "the signing key is declared compromised in the JWKS", QR: short.qr,
			JWKS: bad, Expected: "key_compromised", Claims: claimsJSON(short.claims)},
	}
	more, err := moreCredentials(good, short, long)
	if err != nil {
		return nil, err
	}
	cases = append(cases, more...)
	windows, err := windowCredentials(short)
	if err != nil {
		return nil, err
	}
	cases = append(cases, windows...)
	plain := json.RawMessage(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64.EncodeToString(pub(signKey)) + `"}]}`)
	texts, err := textCredentials(good, plain, short)
	if err != nil {
		return nil, err
	}
	cases = append(append(cases, texts...), zlibCredentials(good, short)...)
	cases = append(cases, linkCredentials(good, short, long, zipped)...)
	records, err := recordCredentials(good, short)
	return append(cases, records...), err
}

var yes, no = true, false

func base45Prefix(qr string) byte {
	b, err := base45.Decode(strings.TrimPrefix(qr, credential.Prefix))
	if err != nil || len(b) == 0 {
		return 0
	}
	return b[0]
}

// marshalLoose encodes deterministically; a separate name marks where a
// vector builds a payload by hand.
func marshalLoose(v any) ([]byte, error) { return dcbor.Marshal(v) }
