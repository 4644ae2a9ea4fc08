package idnum

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestDNICheck(t *testing.T) {
	t.Parallel()
	// The three examples come from the issue; the digit and the letter
	// of each pair share an index in RENIEC's two alphabets.
	tests := []struct {
		dni           DNI
		digit, letter byte
	}{
		{"10117410", '2', 'G'},
		{"10812543", '3', 'H'},
		{"25543680", '1', 'E'},
		{"00000000", '6', 'K'}, // sum 0
		{"99999999", '4', 'I'}, // 9×32 = 288, mod 11 = 2
	}
	for _, tt := range tests {
		t.Run(string(tt.dni), func(t *testing.T) {
			digit, letter := tt.dni.Check()
			if digit != tt.digit || letter != tt.letter {
				t.Fatalf("Check() = %c, %c; want %c, %c", digit, letter, tt.digit, tt.letter)
			}
			for _, c := range []string{string(tt.digit), string(tt.letter), strings.ToLower(string(tt.letter))} {
				if err := tt.dni.VerifyCheck(c); err != nil {
					t.Errorf("VerifyCheck(%q) = %v", c, err)
				}
			}
		})
	}
}

func TestParseDNI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     DNI
		err      error
	}{
		{"plain", "10117410", "10117410", nil},
		{"check digit", "10117410-2", "10117410", nil},
		{"check letter lower", "10117410-g", "10117410", nil},
		{"spaces", " 10 117 410 - G ", "10117410", nil},
		{"dots", "10.117.410", "10117410", nil},
		{"leading zeros", "00012345", "00012345", nil},
		{"wrong check", "10117410-3", "", ErrCheck},
		{"wrong check letter", "10117410-H", "", ErrCheck},
		{"empty check", "10117410-", "", ErrEmpty},
		{"long check", "10117410-22", "", ErrLength},
		{"bad check char", "10117410-#", "", ErrCharset},
		{"empty", "  ", "", ErrEmpty},
		{"short", "1011741", "", ErrLength},
		{"long", "101174100", "", ErrLength},
		{"letter", "1011741O", "", ErrCharset},
		{"unicode digit", "１0117410", "", ErrCharset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDNI(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseDNI(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseCE(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     CE
		err      error
	}{
		{"nine digits", "001234567", "001234567", nil},
		{"keeps zeros", "000000001", "000000001", nil},
		{"letters tolerated", "e12345678ab", "E12345678AB", nil},
		{"twelve", "123456789012", "123456789012", nil},
		{"spaces hyphen", "001 234-567", "001234567", nil},
		{"short", "12345678", "", ErrLength},
		{"too long", "1234567890123", "", ErrLength},
		{"only letters", "ABCDEFGHIJ", "", ErrCharset},
		{"symbol", "00123456#", "", ErrCharset},
		{"accent", "00123456Ñ", "", ErrCharset},
		{"empty", "", "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCE(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseCE(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseStudentCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     StudentCode
		err      error
	}{
		{"ok", "00000012345678", "00000012345678", nil},
		{"spaces", "0000 0012 3456 78", "00000012345678", nil},
		{"short", "1234567890123", "", ErrLength},
		{"letter", "0000001234567A", "", ErrCharset},
		{"empty", "", "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStudentCode(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseStudentCode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestDoc(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind Kind
		in   string
		want string
		err  error
	}{
		{KindDNI, "10117410-G", "DNI 10117410", nil},
		{KindCE, "001234567", "CE 001234567", nil},
		{KindStudentCode, "00000012345678", "CODIGO 00000012345678", nil},
		{KindNone, "10117410", "", ErrKind},
		{Kind(9), "10117410", "", ErrKind},
		{KindDNI, "1", "", ErrLength},
	}
	for _, tt := range tests {
		d, err := Parse(tt.kind, tt.in)
		if !errors.Is(err, tt.err) {
			t.Fatalf("Parse(%v, %q) error = %v; want %v", tt.kind, tt.in, err, tt.err)
		}
		if err == nil && d.String() != tt.want {
			t.Errorf("Parse(%v, %q) = %v; want %v", tt.kind, tt.in, d, tt.want)
		}
		if err == nil && d.Validate() != nil {
			t.Errorf("Validate(%v) = %v", d, d.Validate())
		}
	}
	if err := (Doc{Kind: KindCE, Number: "abc123456"}).Validate(); err == nil {
		t.Error("Validate accepted a number not in normal form")
	}
}

func TestErrorsDoNotEchoInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"1011741X", "10117410-9", "98765432109"} {
		for k := KindDNI; k <= KindStudentCode; k++ {
			_, err := Parse(k, in)
			if err != nil && strings.Contains(err.Error(), in[:6]) {
				t.Errorf("error %q contains the input", err)
			}
		}
	}
}

func TestDocLogValue(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	log := slog.New(slog.NewTextHandler(&b, nil))
	log.Info("lookup", "doc", FromDNI("10117410"))
	if strings.Contains(b.String(), "10117410") {
		t.Fatalf("log holds the number: %s", b.String())
	}
}

func TestKindText(t *testing.T) {
	t.Parallel()
	for k := KindDNI; k <= KindStudentCode; k++ {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got Kind
		if err := got.UnmarshalText(b); err != nil || got != k {
			t.Fatalf("round trip %v: %v, %v", k, got, err)
		}
	}
	if _, err := KindNone.MarshalText(); err == nil {
		t.Error("KindNone marshalled")
	}
}
