package pdf

import (
	"strings"
	"testing"
)

func TestEncode1252(t *testing.T) {
	tests := []struct {
		in, out string
		ok      bool
	}{
		{"ASCII", "ASCII", true},
		{"ÑANDÚ N.° 5 €", "\xd1AND\xda N.\xb0 5 \x80", true},
		{"“Œ”—•", "\x93\x8c\x94\x97\x95", true},
		{"ŁUKASZ", "?UKASZ", false},
		{"王", "?", false},
		{"\u0081", "?", false}, // a C1 control, not byte 0x81
		{"A\u0301", "A?", false},
	}
	for _, tc := range tests {
		out, ok := encode1252(tc.in)
		if out != tc.out || ok != tc.ok {
			t.Errorf("encode1252(%q) = %q, %v; want %q, %v", tc.in, out, ok, tc.out, tc.ok)
		}
	}
}

func TestCP1252Runes(t *testing.T) {
	rs := cp1252Runes()
	if len(rs) != 95+27+96 { // ASCII, 0x80–0x9F less 5 holes, 0xA0–0xFF
		t.Errorf("%d characters", len(rs))
	}
	for _, r := range rs {
		if _, ok := cp1252Byte(r); !ok {
			t.Errorf("%q not encodable", r)
		}
	}
	// The bytes 0x80–0x9F by hand (the code page's chart), against the
	// x/text table the code uses.
	const high = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
	for _, r := range high {
		if b, ok := cp1252Byte(r); !ok || b < 0x80 || b > 0x9F {
			t.Errorf("%q: byte %#x, %v", r, b, ok)
		}
	}
	for _, b := range []byte{0x81, 0x8D, 0x8F, 0x90, 0x9D} {
		if r, ok := cp1252Rune(b); ok {
			t.Errorf("undefined byte %#x gives %q", b, r)
		}
	}
	if !strings.ContainsRune(string(rs), 'ñ') || !strings.ContainsRune(string(rs), '°') {
		t.Error("the cut lacks ñ or °")
	}
}

func TestBMPOnly(t *testing.T) {
	tests := map[string]string{"ÁÉÍ": "ÁÉÍ", "A😀B": "A\uFFFDB", "😀😀": "\uFFFD\uFFFD", "王": "王"}
	for in, want := range tests {
		if got := bmpOnly(in); got != want {
			t.Errorf("bmpOnly(%q) = %q, want %q", in, got, want)
		}
	}
}
