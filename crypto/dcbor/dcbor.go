// Package dcbor encodes and decodes the CBOR of every signed CLA document.
//
// Encoding is RFC 8949 §4.2.1 core deterministic encoding, so that the same
// document always signs to the same bytes (and test vectors can be
// reproduced byte for byte by other implementations).
//
// Decoding is strict: no duplicate map keys, no indefinite lengths, no tags,
// bounded nesting and sizes, valid UTF-8, no trailing bytes. On top of that,
// Unmarshal re-encodes what it decoded and requires the input to be exactly
// those bytes. That single check rejects every non-deterministic variant
// (non-shortest integers, unsorted keys), every unknown map key, and every
// missing field that is not marked omitempty, so a struct definition is also
// the schema.
package dcbor

import (
	"bytes"
	"errors"

	"github.com/fxamacker/cbor/v2"
)

// ErrNotDeterministic reports input that decodes but is not the core
// deterministic encoding of a valid document (unknown or missing keys,
// non-shortest lengths, unsorted maps).
var ErrNotDeterministic = errors.New("cbor: not the deterministic encoding of a valid document")

var (
	encMode cbor.EncMode
	decMode cbor.DecMode
)

func init() {
	var err error
	opts := cbor.CoreDetEncOptions()
	// A nil slice encodes as an empty array or byte string, never as null,
	// so null in the input fails the re-encoding check.
	opts.NilContainers = cbor.NilContainerAsEmpty
	encMode, err = opts.EncMode()
	if err != nil {
		panic(err)
	}
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		MaxNestedLevels:   MaxNestedLevels,
		MaxArrayElements:  MaxArrayElements,
		MaxMapPairs:       MaxMapPairs,
		UTF8:              cbor.UTF8RejectInvalid,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		NaN:               cbor.NaNDecodeForbidden,
		Inf:               cbor.InfDecodeForbidden,
		BignumTag:         cbor.BignumTagForbidden,
	}.DecMode()
	if err != nil {
		panic(err)
	}
}

// Marshal returns the core deterministic encoding of v.
func Marshal(v any) ([]byte, error) {
	return encMode.Marshal(v)
}

// Unmarshal decodes data into v strictly (see the package comment) and
// requires data to be exactly the deterministic encoding of the result.
func Unmarshal(data []byte, v any) error {
	if err := decMode.Unmarshal(data, v); err != nil {
		return err
	}
	again, err := encMode.Marshal(v)
	if err != nil {
		return err
	}
	if !bytes.Equal(again, data) {
		return ErrNotDeterministic
	}
	return nil
}

// Wellformed reports whether data is one strictly well-formed CBOR item
// (no indefinite lengths, no tags, within the nesting and size limits).
func Wellformed(data []byte) error {
	if err := decMode.Wellformed(data); err != nil {
		return err
	}
	return nil
}
