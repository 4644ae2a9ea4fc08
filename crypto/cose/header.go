package cose

import (
	"errors"
	"fmt"
	"slices"

	"github.com/fxamacker/cbor/v2"
	"github.com/minedu-cla/cla/crypto/dcbor"
)

// AlgEdDSA is the only algorithm ever accepted (RFC 9053 §2.2). There is no
// algorithm negotiation, so there is no algorithm confusion.
const AlgEdDSA int64 = -8

// Header labels of RFC 9052 §3.1 that this package understands.
const (
	labelAlg         int64 = 1
	labelCrit        int64 = 2
	labelContentType int64 = 3
	labelKeyID       int64 = 4
)

// Headers holds the header parameters this package understands. A zero
// field is absent.
type Headers struct {
	// Alg is the algorithm; only AlgEdDSA is valid, and only protected.
	Alg int64
	// ContentType is a media type ("application/…"). ContentFormat is a
	// CoAP content format number instead; at most one of the two is set.
	ContentType   string
	ContentFormat *uint64
	// KeyID identifies the signing key.
	KeyID []byte
}

// IsZero reports whether h has no parameter.
func (h Headers) IsZero() bool {
	return h.Alg == 0 && h.ContentType == "" && h.ContentFormat == nil && h.KeyID == nil
}

// encode returns the deterministic CBOR map of h.
func (h Headers) encode() ([]byte, error) {
	if h.ContentType != "" && h.ContentFormat != nil {
		return nil, errors.New("cose: both content type and content format set")
	}
	m := map[int64]any{}
	if h.Alg != 0 {
		m[labelAlg] = h.Alg
	}
	if h.ContentType != "" {
		m[labelContentType] = h.ContentType
	}
	if h.ContentFormat != nil {
		m[labelContentType] = *h.ContentFormat
	}
	if h.KeyID != nil {
		m[labelKeyID] = h.KeyID
	}
	return dcbor.Marshal(m)
}

// decodeHeaders parses one header bucket, which must be deterministically
// encoded. Labels this package does not know are ignored as RFC 9052 §3
// requires, unless crit lists them; a known label with a value of the wrong
// type is an error.
func decodeHeaders(b []byte, protected bool) (Headers, error) {
	var h Headers
	if len(b) > MaxHeader {
		return h, fmt.Errorf("header over %d bytes", MaxHeader)
	}
	var raw map[any]cbor.RawMessage
	if err := dcbor.Unmarshal(b, &raw); err != nil {
		return h, err
	}
	for label, v := range raw {
		l, ok := intLabel(label)
		if !ok {
			continue
		}
		var err error
		switch l {
		case labelAlg:
			err = dcbor.Unmarshal(v, &h.Alg)
			if err == nil && h.Alg == 0 {
				err = errors.New("alg 0")
			}
		case labelKeyID:
			err = dcbor.Unmarshal(v, &h.KeyID)
			if err == nil && (len(h.KeyID) == 0 || len(h.KeyID) > MaxKeyID) {
				err = fmt.Errorf("kid of %d bytes", len(h.KeyID))
			}
		case labelContentType:
			err = decodeContentType(v, &h)
		case labelCrit:
			if !protected {
				return h, errors.New("crit outside the protected header")
			}
			err = checkCrit(v)
		}
		if err != nil {
			return h, fmt.Errorf("header label %d: %w", l, err)
		}
	}
	return h, nil
}

func intLabel(k any) (int64, bool) {
	switch v := k.(type) {
	case uint64:
		if v <= 1<<62 {
			return int64(v), true
		}
	case int64:
		return v, true
	}
	return 0, false
}

func decodeContentType(v cbor.RawMessage, h *Headers) error {
	if len(v) > 0 && v[0]>>5 == 0 { // major type 0: a content format number
		var n uint64
		if err := dcbor.Unmarshal(v, &n); err != nil {
			return err
		}
		h.ContentFormat = &n
		return nil
	}
	if err := dcbor.Unmarshal(v, &h.ContentType); err != nil {
		return err
	}
	if h.ContentType == "" {
		return errors.New("empty content type")
	}
	return nil
}

// checkCrit accepts a crit list only if every label in it is one this
// package processes; any other is an unknown critical header.
func checkCrit(v cbor.RawMessage) error {
	var crit []any
	if err := dcbor.Unmarshal(v, &crit); err != nil {
		return err
	}
	if len(crit) == 0 {
		return errors.New("empty crit")
	}
	for _, c := range crit {
		l, ok := intLabel(c)
		if !ok || !slices.Contains([]int64{labelAlg, labelContentType, labelKeyID}, l) {
			return fmt.Errorf("unknown critical header %v", c)
		}
	}
	return nil
}
