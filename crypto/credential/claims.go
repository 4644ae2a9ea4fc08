package credential

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/vcode"
)

// Claims is what the QR code of a constancia carries: a CWT (RFC 8392)
// with iss, iat and one private claim holding the constancia summary.
type Claims struct {
	Issuer   string
	IssuedAt time.Time
	// Code is the virtual code, canonical (no separators).
	Code string
	// StatusIndex is this constancia's index in the status list.
	StatusIndex uint64
	Student     Student
	Years       []YearSummary
	// RecordDigest is the SHA-256 of the signed full record document.
	RecordDigest []byte
}

// The CWT claim keys (RFC 8392 §3.1): 1 iss, 6 iat, and two from the
// private-use range below -65536: -65537 holds the summary in the QR code,
// -65538 the full record in the attached document.
type wireClaims struct {
	Iss     string      `cbor:"1,keyasint"`
	Iat     uint64      `cbor:"6,keyasint"`
	Summary wireSummary `cbor:"-65537,keyasint"`
}

type wireSummary struct {
	Code    string      `cbor:"1,keyasint"`
	Index   uint64      `cbor:"2,keyasint"`
	Student wireStudent `cbor:"3,keyasint"`
	Years   packedYears `cbor:"4,keyasint"`
	Digest  []byte      `cbor:"5,keyasint"`
}

func (c *Claims) wire() wireClaims {
	return wireClaims{Iss: c.Issuer, Iat: unix(c.IssuedAt), Summary: wireSummary{
		Code: c.Code, Index: c.StatusIndex, Student: c.Student.wire(), Years: packedYears(c.Years), Digest: c.RecordDigest}}
}

func (w *wireClaims) claims() *Claims {
	return &Claims{Issuer: w.Iss, IssuedAt: fromUnix(w.Iat), Code: w.Summary.Code, StatusIndex: w.Summary.Index,
		Student: w.Summary.Student.student(), Years: []YearSummary(w.Summary.Years), RecordDigest: w.Summary.Digest}
}

// Validate checks every field against the schema of docs/FORMAT.md.
func (c *Claims) Validate() error {
	if err := checkHeader(c.Issuer, c.IssuedAt, c.Code, c.StatusIndex); err != nil {
		return err
	}
	if len(c.RecordDigest) != sha256.Size {
		return fmt.Errorf("record digest of %d bytes", len(c.RecordDigest))
	}
	if err := c.Student.Validate(); err != nil {
		return err
	}
	return validateYears(c.Years)
}

// checkHeader checks what claims and records share.
func checkHeader(iss string, iat time.Time, code string, index uint64) error {
	if index > MaxStatusIndex {
		return fmt.Errorf("status index %d over %d", index, MaxStatusIndex)
	}
	if err := checkText("issuer", iss, MaxIssuer, true); err != nil {
		return err
	}
	if iat.Unix() <= 0 || iat.Unix() > maxUnix {
		return errors.New("iat out of range")
	}
	if !vcode.Valid(code) {
		return fmt.Errorf("virtual code %q is not valid", code)
	}
	return nil
}

// maxUnix is 9999-12-31T23:59:59Z.
const maxUnix = 253402300799

func unix(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

func fromUnix(s uint64) time.Time {
	if s > maxUnix {
		s = maxUnix + 1 // fails validation
	}
	return time.Unix(int64(s), 0).UTC()
}
