// Package vcode implements the virtual code: the short code printed on a
// constancia and sent by e-mail, that people type to look it up online.
//
// A code is 12 symbols of Crockford's base32 alphabet (no I, L, O, U: they
// read as 1, 1, 0 and V) carrying 60 random bits, then one check symbol
// (Damm's algorithm over GF(32)), shown as three groups of four and the
// check symbol: "7K3M-9QXT-2HBN-M". The check symbol catches every single
// mistyped symbol and every swap of two neighbours before any lookup is
// made. (Luhn mod 32 was tried first: it misses swapping 0 and Z.)
package vcode

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Alphabet is Crockford's base32 alphabet, in value order.
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	// DataLen symbols carry 60 bits of entropy.
	DataLen = 12
	// Len is the length of a code without separators.
	Len = DataLen + 1
)

var (
	// ErrFormat: not 13 symbols of the alphabet after normalising.
	ErrFormat = errors.New("vcode: not a virtual code")
	// ErrCheck: the check symbol does not match: a typo.
	ErrCheck = errors.New("vcode: check symbol does not match")
)

var values [256]int8

func init() {
	for i := range values {
		values[i] = -1
	}
	for i := 0; i < len(Alphabet); i++ {
		values[Alphabet[i]] = int8(i)
		values[Alphabet[i]|0x20] = int8(i) // lowercase
	}
	for _, alias := range []struct {
		from string
		to   byte
	}{{"Oo", '0'}, {"IiLl", '1'}} {
		for _, c := range []byte(alias.from) {
			values[c] = values[alias.to]
		}
	}
}

// New returns a fresh code made from 60 bits read from rand.
func New(rand io.Reader) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("vcode: %w", err)
	}
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	code := make([]byte, DataLen, Len)
	for i := DataLen - 1; i >= 0; i-- {
		code[i] = Alphabet[n&31]
		n >>= 5
	}
	return string(append(code, Alphabet[check(code)])), nil
}

// check returns the Damm check value of symbols over the quasigroup
// x∘y = 2·x + y in GF(32) (modulus x⁵+x²+1). Since 2 ≠ 0, 1, this
// quasigroup is weakly totally anti-symmetric: (c∘x)∘y = (c∘y)∘x only if
// x = y, which is what catches every adjacent transposition.
func check(symbols []byte) int {
	interim := 0
	for _, s := range symbols {
		interim = double(interim) ^ int(values[s])
	}
	return double(interim)
}

// double multiplies by x in GF(32) with modulus x⁵+x²+1.
func double(v int) int {
	v <<= 1
	if v&32 != 0 {
		v ^= 0b100101
	}
	return v
}

// Normalize turns what a person typed into the canonical code: case,
// spaces, dashes and dots are ignored, O reads as 0 and I or L as 1. It
// returns ErrFormat or ErrCheck for text that is not a valid code.
func Normalize(typed string) (string, error) {
	if len(typed) > 64 {
		return "", ErrFormat
	}
	out := make([]byte, 0, Len)
	for i := 0; i < len(typed); i++ {
		c := typed[i]
		switch {
		case c == ' ' || c == '-' || c == '.' || c == '\t':
			continue
		case values[c] < 0:
			return "", ErrFormat
		}
		out = append(out, Alphabet[values[c]])
	}
	if len(out) != Len {
		return "", ErrFormat
	}
	if Alphabet[check(out[:DataLen])] != out[DataLen] {
		return "", ErrCheck
	}
	return string(out), nil
}

// Valid reports whether code is already in canonical form.
func Valid(code string) bool {
	n, err := Normalize(code)
	return err == nil && n == code
}

// Format groups a canonical code for people: "7K3M-9QXT-2HBN-M".
func Format(code string) string {
	if len(code) != Len {
		return code
	}
	return strings.Join([]string{code[0:4], code[4:8], code[8:12], code[12:]}, "-")
}
