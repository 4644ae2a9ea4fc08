package totp

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 seed of RFC 6238 Appendix B: the ASCII digits
// "12345678901234567890".
var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

// TestRFC6238Vectors checks every SHA-1 row of RFC 6238 Appendix B: the
// 8-digit values through hotp, and their last 6 digits through Code (a
// 6-digit code is the same 31-bit value modulo 10^6).
func TestRFC6238Vectors(t *testing.T) {
	t.Parallel()
	for _, v := range []struct {
		unix int64
		step uint64
		want string
	}{
		{59, 0x1, "94287082"},
		{1111111109, 0x23523EC, "07081804"},
		{1111111111, 0x23523ED, "14050471"},
		{1234567890, 0x273EF07, "89005924"},
		{2000000000, 0x3F940AA, "69279037"},
		{20000000000, 0x27BC86AA, "65353130"},
	} {
		now := time.Unix(v.unix, 0)
		if got := uint64(Step(now)); got != v.step {
			t.Errorf("Step(%d) = %#x, want %#x", v.unix, got, v.step)
		}
		if got := hotp([]byte("12345678901234567890"), v.step, 8); got != v.want {
			t.Errorf("hotp at %d = %s, want %s", v.unix, got, v.want)
		}
		got, err := Code(rfcSecret, now)
		if err != nil || got != v.want[2:] {
			t.Errorf("Code at %d = %s, %v, want %s", v.unix, got, err, v.want[2:])
		}
	}
}

func TestStepBeforeEpoch(t *testing.T) {
	t.Parallel()
	for unix, want := range map[int64]int64{-1: -1, -30: -1, -31: -2, 0: 0, 29: 0, 30: 1} {
		if got := Step(time.Unix(unix, 0)); got != want {
			t.Errorf("Step(%d) = %d, want %d", unix, got, want)
		}
	}
}

// TestWindow: codes of the steps now-1, now, now+1 pass; now±2 do not;
// and the boundary seconds of a step belong to it.
func TestWindow(t *testing.T) {
	t.Parallel()
	now := time.Unix(1111111111, 0) // step 0x23523ED, 1 s into it
	step := Step(now)
	codeAt := func(s int64) string { return hotp([]byte("12345678901234567890"), uint64(s), Digits) }
	for _, tc := range []struct {
		name   string
		offset int64
		ok     bool
	}{
		{"two steps behind", -2, false},
		{"one step behind", -1, true},
		{"current", 0, true},
		{"one step ahead", 1, true},
		{"two steps ahead", 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Verify(rfcSecret, codeAt(step+tc.offset), now, 0)
			if ok != tc.ok || (ok && got != step+tc.offset) {
				t.Errorf("Verify = %d, %v; want step %d, %v", got, ok, step+tc.offset, tc.ok)
			}
		})
	}
	// The first and last second of a step: a code of step-2 is out at the
	// first second of step, and a code of step+2 is out at its last.
	first, last := time.Unix(step*Period, 0), time.Unix(step*Period+Period-1, 0)
	if _, ok := Verify(rfcSecret, codeAt(step-1), first, 0); !ok {
		t.Error("step-1 refused at the first second of step")
	}
	if _, ok := Verify(rfcSecret, codeAt(step-2), first, 0); ok {
		t.Error("step-2 accepted at the first second of step")
	}
	if _, ok := Verify(rfcSecret, codeAt(step+1), last, 0); !ok {
		t.Error("step+1 refused at the last second of step")
	}
	if _, ok := Verify(rfcSecret, codeAt(step+2), last, 0); ok {
		t.Error("step+2 accepted at the last second of step")
	}
}

// TestReplay: a code works once; after a step is used, neither it nor an
// earlier step's code works again, but the next step's does.
func TestReplay(t *testing.T) {
	t.Parallel()
	now := time.Unix(1234567890, 0)
	code, _ := Code(rfcSecret, now)
	step, ok := Verify(rfcSecret, code, now, 0)
	if !ok || step != Step(now) {
		t.Fatalf("first use: %d, %v", step, ok)
	}
	if _, ok := Verify(rfcSecret, code, now.Add(5*time.Second), step); ok {
		t.Error("the same code was accepted twice")
	}
	prev := hotp([]byte("12345678901234567890"), uint64(step-1), Digits)
	if _, ok := Verify(rfcSecret, prev, now, step); ok {
		t.Error("an older step's code was accepted after a newer one")
	}
	next, _ := Code(rfcSecret, now.Add(Period*time.Second))
	if s, ok := Verify(rfcSecret, next, now.Add(Period*time.Second), step); !ok || s != step+1 {
		t.Errorf("next step: %d, %v", s, ok)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	now := time.Unix(59, 0)
	for _, tc := range []struct{ name, secret, code string }{
		{"short code", rfcSecret, "28708"},
		{"long code", rfcSecret, "2870820"},
		{"letters", rfcSecret, "28708a"},
		{"empty code", rfcSecret, ""},
		{"bad secret", "not base32!", "287082"},
		{"empty secret", "", "287082"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := Verify(tc.secret, tc.code, now, 0); ok {
				t.Error("accepted")
			}
		})
	}
	for _, code := range []string{"287082", "287 082", " 287082 "} {
		if _, ok := Verify(strings.ToLower(rfcSecret), code, now, 0); !ok {
			t.Errorf("%q with a lower-case secret refused", code)
		}
	}
	if _, err := Code("1", now); !errors.Is(err, ErrSecret) {
		t.Errorf("Code with a bad secret: %v", err)
	}
}

func TestNewSecretAndURI(t *testing.T) {
	t.Parallel()
	s, err := NewSecret(bytes.NewReader(bytes.Repeat([]byte{0xa5}, SecretSize)))
	if err != nil || len(s) != 32 || strings.Contains(s, "=") {
		t.Fatalf("NewSecret = %q, %v", s, err)
	}
	if _, err := NewSecret(bytes.NewReader(make([]byte, 5))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short rand: %v", err)
	}
	raw := URI(s, "CLA MINEDU", "ana.quispe")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/CLA MINEDU:ana.quispe" ||
		q.Get("secret") != s || q.Get("issuer") != "CLA MINEDU" || q.Get("algorithm") != "SHA1" ||
		q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI = %s", raw)
	}
	if strings.Contains(raw, "+") {
		t.Errorf("URI has a '+': %s", raw)
	}
}

// BenchmarkVerify: three HMAC-SHA1s (the window) and a decode; goal
// ≤ 4× BenchmarkBaselineHMAC, a single bare HMAC-SHA1 of a counter.
func BenchmarkVerify(b *testing.B) {
	now := time.Unix(1234567890, 0)
	code, _ := Code(rfcSecret, now)
	for b.Loop() {
		Verify(rfcSecret, code, now, 0)
	}
}

func BenchmarkBaselineHMAC(b *testing.B) {
	key := []byte("12345678901234567890")
	var ctr [8]byte
	for b.Loop() {
		m := hmac.New(sha1.New, key)
		m.Write(ctr[:])
		m.Sum(nil)
	}
}
