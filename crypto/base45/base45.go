// Package base45 implements the Base45 encoding of RFC 9285.
//
// Base45 turns bytes into the 45 characters of the QR code alphanumeric
// mode, which packs 5.5 bits a character, so a signed code fits a smaller QR
// code than base64 in byte mode would. Decoding is strict: a character
// outside the alphabet, a triple above 65535, a pair above 255 or a dangling
// single character is an error, so every text decodes to at most one byte
// string and every byte string encodes to exactly one text.
package base45

import (
	"errors"
	"fmt"
)

// Alphabet is the RFC 9285 alphabet, in value order.
const Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// ErrLength reports a text whose length is 1 modulo 3: a dangling character.
var ErrLength = errors.New("base45: dangling character at the end")

// CorruptInputError reports the offset of the first group that does not decode.
type CorruptInputError struct {
	Offset int
	Reason string
}

func (e *CorruptInputError) Error() string {
	return fmt.Sprintf("base45: %s at offset %d", e.Reason, e.Offset)
}

var decodeMap [256]byte

func init() {
	for i := range decodeMap {
		decodeMap[i] = 0xff
	}
	for i := 0; i < len(Alphabet); i++ {
		decodeMap[Alphabet[i]] = byte(i)
	}
}

// EncodedLen returns the length of the encoding of n bytes.
func EncodedLen(n int) int { return n/2*3 + n%2*2 }

// Encode returns the Base45 text of src.
func Encode(src []byte) string {
	dst := make([]byte, 0, EncodedLen(len(src)))
	return string(AppendEncode(dst, src))
}

// AppendEncode appends the Base45 text of src to dst.
func AppendEncode(dst, src []byte) []byte {
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		dst = append(dst, Alphabet[n%45], Alphabet[n/45%45], Alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		dst = append(dst, Alphabet[n%45], Alphabet[n/45])
	}
	return dst
}

// Decode returns the bytes that src encodes.
func Decode(src string) ([]byte, error) {
	if len(src)%3 == 1 {
		return nil, ErrLength
	}
	dst := make([]byte, 0, len(src)/3*2+1)
	for i := 0; i < len(src); i += 3 {
		var n, weight int = 0, 1
		end := min(i+3, len(src))
		for j := i; j < end; j++ {
			v := decodeMap[src[j]]
			if v == 0xff {
				return nil, &CorruptInputError{Offset: j, Reason: fmt.Sprintf("character %q outside the alphabet", src[j])}
			}
			n += int(v) * weight
			weight *= 45
		}
		if end-i == 3 {
			if n > 0xffff {
				return nil, &CorruptInputError{Offset: i, Reason: "triple above 65535"}
			}
			dst = append(dst, byte(n>>8), byte(n))
		} else {
			if n > 0xff {
				return nil, &CorruptInputError{Offset: i, Reason: "pair above 255"}
			}
			dst = append(dst, byte(n))
		}
	}
	return dst, nil
}
