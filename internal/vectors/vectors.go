// Package vectors generates the project's test vectors: JSON files, one
// case each, that any other implementation of the CLA formats can check
// (docs/FORMAT.md describes them). Generation is deterministic: keys come
// from fixed seeds and Ed25519 signatures are deterministic, so the files
// never drift unless the formats change.
package vectors

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

// Dir is where the vectors live, relative to the repository root.
const Dir = "testdata/vectors"

// Credential is one QR-code case.
type Credential struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	QR          string          `json:"qr"`
	JWKS        json.RawMessage `json:"jwks"`
	Expected    string          `json:"expected"`
	// Claims is the decoded content, for cases a verifier decodes.
	Claims *Claims `json:"claims,omitempty"`
	// Record is the signed full record (base64url), for cases that carry one.
	Record string `json:"record,omitempty"`
	// RecordExpected is the outcome of opening Record alone under JWKS:
	// the statuses of a QR code.
	RecordExpected string `json:"record_expected,omitempty"`
	// RecordMatches says whether Record opens as valid and is the record
	// the QR code vouches for (its SHA-256 is claim 5, and its code, index,
	// student and years are the code's).
	RecordMatches *bool `json:"record_matches,omitempty"`
}

// Claims is the JSON view of credential.Claims.
type Claims struct {
	Issuer       string `json:"iss"`
	IssuedAt     int64  `json:"iat"`
	Code         string `json:"code"`
	StatusIndex  uint64 `json:"status_index"`
	DocType      uint8  `json:"doc_type"`
	DocNumber    string `json:"doc_number"`
	GivenNames   string `json:"given_names"`
	FirstSurname string `json:"first_surname"`
	SecondSurnam string `json:"second_surname"`
	// Years is [year, level, grade, result] per school year.
	Years        [][4]int `json:"years"`
	RecordDigest string   `json:"record_digest_hex"`
}

func claimsJSON(c *credential.Claims) *Claims {
	out := &Claims{Issuer: c.Issuer, IssuedAt: c.IssuedAt.Unix(), Code: c.Code, StatusIndex: c.StatusIndex,
		DocType: uint8(c.Student.DocType), DocNumber: c.Student.DocNumber, GivenNames: c.Student.GivenNames,
		FirstSurname: c.Student.FirstSurname, SecondSurnam: c.Student.SecondSurname,
		RecordDigest: hex.EncodeToString(c.RecordDigest)}
	for _, y := range c.Years {
		out.Years = append(out.Years, [4]int{y.Year, int(y.Level), y.Grade, int(y.Result)})
	}
	return out
}

// Keyset is one keyset-chain case: a verifier pinning Roots, holding
// Held (or nothing), receives Keysets in order.
type Keyset struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Roots       []string `json:"roots"`
	Held        string   `json:"held,omitempty"`
	Keysets     []string `json:"keysets"`
	// Expected is "accept" (then Seq is the resulting seq), "rollback",
	// "broken_chain", "untrusted_root" or "malformed".
	Expected string `json:"expected"`
	Seq      uint64 `json:"seq,omitempty"`
}

// Status is one status-list case: a list (and optionally a delta to apply
// to it), verified under JWKS.
type Status struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	JWKS        json.RawMessage `json:"jwks"`
	List        string          `json:"list"`
	Delta       string          `json:"delta,omitempty"`
	// Expected is "accept", "invalid_signature", "unknown_key",
	// "key_compromised", "key_not_valid", "malformed", "seq_mismatch" or
	// "diverged".
	Expected string `json:"expected"`
	// After a successful open (and apply): the seq, the revoked count,
	// and some indices with their state.
	Seq     uint64          `json:"seq,omitempty"`
	Count   int             `json:"revoked_count,omitempty"`
	Samples map[string]bool `json:"samples,omitempty"`
}

// Set is every vector, by kind.
type Set struct {
	Credentials  []Credential
	Keysets      []Keyset
	Statuses     []Status
	JWKS         []JWKS
	Fingerprints []Fingerprint
}

var b64 = base64.RawURLEncoding

// Keys of the vectors: derived from fixed names with sample.Key.
var (
	rootKey       = sample.Key("vectors root")
	signKey       = sample.Key("vectors signing 2026")
	otherKey      = sample.Key("vectors signing other")
	windowStart   = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	windowEnd     = time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	signingWindow = func() keyset.Key {
		return keyset.NewKey(pub(signKey), windowStart, windowEnd)
	}
)

// Generate returns every vector.
func Generate() (*Set, error) {
	s := &Set{}
	var err error
	if s.Credentials, err = credentials(); err != nil {
		return nil, err
	}
	if s.Keysets, err = keysets(); err != nil {
		return nil, err
	}
	if s.Statuses, err = statuses(); err != nil {
		return nil, err
	}
	if s.JWKS, err = jwksCases(); err != nil {
		return nil, err
	}
	s.Fingerprints = fingerprints()
	return s, nil
}
