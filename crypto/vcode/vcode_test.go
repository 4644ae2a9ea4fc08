package vcode

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNewIsValid(t *testing.T) {
	t.Parallel()
	r := rand.NewChaCha8([32]byte{1})
	seen := map[string]bool{}
	for range 1000 {
		c, err := New(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != Len || !Valid(c) {
			t.Fatalf("New() = %q, not a valid code", c)
		}
		if seen[c] {
			t.Fatalf("duplicate %q", c)
		}
		seen[c] = true
	}
	// 60 bits: all-zero and all-one inputs map to the ends of the alphabet.
	c, _ := New(bytes.NewReader(make([]byte, 8)))
	if c[:DataLen] != "000000000000" {
		t.Errorf("zero code = %q", c)
	}
	c, _ = New(bytes.NewReader(bytes.Repeat([]byte{0xff}, 8)))
	if c[:DataLen] != "ZZZZZZZZZZZZ" { // the low 60 of 64 bits
		t.Errorf("max code = %q", c)
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	code, _ := New(rand.NewChaCha8([32]byte{2}))
	pretty := Format(code)
	tests := []struct {
		name, typed string
		want        error
	}{
		{"canonical", code, nil},
		{"grouped", pretty, nil},
		{"lowercase spaced", strings.ToLower(strings.ReplaceAll(pretty, "-", " ")), nil},
		{"dots", strings.ReplaceAll(pretty, "-", "."), nil},
		{"too short", code[:12], ErrFormat},
		{"too long", code + "0", ErrFormat},
		{"U is not a symbol", "U" + code[1:], ErrFormat},
		{"accented", "Á" + code[1:], ErrFormat},
		{"empty", "", ErrFormat},
		{"huge", strings.Repeat("0", 1000), ErrFormat},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.typed)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Normalize(%q) = %q, %v; want %v", tt.name, tt.typed, got, err, tt.want)
		}
		if err == nil && got != code {
			t.Errorf("%s: Normalize(%q) = %q, want %q", tt.name, tt.typed, got, code)
		}
	}
	lookalike := strings.NewReplacer("0", "O", "1", "I").Replace(code)
	if got, err := Normalize(lookalike); err != nil || got != code {
		t.Errorf("look-alikes: Normalize(%q) = %q, %v", lookalike, got, err)
	}
}

// TestCheckCatchesTypos: every single substitution and every adjacent
// transposition of distinct symbols is caught, over many codes.
func TestCheckCatchesTypos(t *testing.T) {
	t.Parallel()
	r := rand.NewChaCha8([32]byte{3})
	for range 200 {
		code, _ := New(r)
		for i := range Len {
			for j := range len(Alphabet) {
				if Alphabet[j] == code[i] {
					continue
				}
				typo := code[:i] + string(Alphabet[j]) + code[i+1:]
				if _, err := Normalize(typo); err == nil {
					t.Fatalf("substitution %q → %q accepted", code, typo)
				}
			}
			if i+1 < Len && code[i] != code[i+1] {
				swap := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
				if _, err := Normalize(swap); err == nil {
					t.Fatalf("transposition %q → %q accepted", code, swap)
				}
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("7K3M-9QXT-2HBN-M")
	f.Add("0000 0000 0000 0")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			return
		}
		if !Valid(n) {
			t.Fatalf("Normalize(%q) = %q, which is not canonical", s, n)
		}
		if again, err := Normalize(Format(n)); err != nil || again != n {
			t.Fatalf("Format/Normalize round trip of %q = %q, %v", n, again, err)
		}
	})
}

// TestValidIsCanonicalOnly: the signed form is the canonical one; what a
// person would type is for Normalize only.
func TestValidIsCanonicalOnly(t *testing.T) {
	t.Parallel()
	const code = "7K3M9QXT2HBNM"
	if !Valid(code) {
		t.Fatal(code)
	}
	for _, s := range []string{"7k3m9qxt2hbnm", "7K3M-9QXT-2HBN-M", "7K3M 9QXT 2HBN M", "7K3M9QXT2HBNN", "7K3M9QXT2HBN"} {
		if Valid(s) {
			t.Errorf("%q is valid", s)
		}
	}
	zero, _ := New(strings.NewReader("\x00\x01\x23\x45\x67\x89\xab\xcd"))
	o := zero[:1] + strings.Replace(zero[1:], "0", "O", 1)
	if o == zero || Valid(o) {
		t.Errorf("%q (for %q) is valid", o, zero)
	}
	if n, err := Normalize(o); err != nil || n != zero {
		t.Errorf("Normalize(%q) = %q, %v", o, n, err)
	}
}
