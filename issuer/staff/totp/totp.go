// Package totp is the second factor of the issuer's admins: RFC 6238
// time-based one-time passwords with the parameters every authenticator
// app supports without asking (HMAC-SHA1, 6 digits, 30-second steps).
//
// A code is accepted one step either side of now (±30 s of clock drift
// between the phone and the server), and only once: the caller keeps the
// last step it accepted and passes it back, so a code seen over a
// shoulder or in a proxy log cannot be replayed within its window.
package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// Parameters (RFC 6238 §4, §5.2). SHA-1 is what authenticator apps
// implement by default; HOTP's truncation keeps it safe here (RFC 4226
// appendix A.2: the attack on SHA-1 is a collision, irrelevant to an HMAC).
const (
	Digits = 6
	Period = 30 // seconds a step lasts
	Skew   = 1  // steps accepted either side of now
)

// ErrSecret: the secret is not base32.
var ErrSecret = errors.New("totp: secret is not base32")

// encoding is base32 without padding, as otpauth:// URIs carry it.
var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Step returns the time step t falls in: floor(unix seconds / 30).
func Step(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		return (s - Period + 1) / Period
	}
	return s / Period
}

// Code returns the code of secret at time t.
func Code(secret string, t time.Time) (string, error) {
	key, err := decode(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(Step(t)), Digits), nil
}

// Verify reports whether code is the code of secret in the step of now or
// one step either side, and that step is later than last (the step the
// caller accepted last; 0 if none). It returns the step used, which the
// caller must store and pass as last next time. The code is compared in
// constant time with every candidate, so timing does not tell how close a
// guess was. A secret that does not decode never verifies.
func Verify(secret, code string, now time.Time, last int64) (step int64, ok bool) {
	key, err := decode(secret)
	code = strings.ReplaceAll(code, " ", "") // apps show "123 456"
	if err != nil || !digits(code) {
		return 0, false
	}
	t := Step(now)
	for s := t - Skew; s <= t+Skew; s++ {
		want := hotp(key, uint64(s), Digits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > last {
			step, ok = s, true // the latest matching step: it blocks the most
		}
	}
	return step, ok
}

func digits(s string) bool {
	if len(s) != Digits {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decode accepts the secret in either case and with spaces, as people
// copy it from a screen.
func decode(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	key, err := encoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(key) == 0 {
		return nil, ErrSecret
	}
	return key, nil
}

// hotp is RFC 4226 §5.3: HMAC-SHA-1 of the big-endian counter, dynamic
// truncation to 31 bits, modulo 10^digits, zero-padded.
func hotp(key []byte, counter uint64, digits int) string {
	m := hmac.New(sha1.New, key)
	m.Write(binary.BigEndian.AppendUint64(nil, counter))
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	out := make([]byte, digits)
	for i := digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out)
}
