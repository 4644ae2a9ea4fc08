package base45

import (
	"bytes"
	"errors"
	"testing"
)

// The examples of RFC 9285 §4.
var rfcVectors = []struct{ plain, encoded string }{
	{"AB", "BB8"},
	{"Hello!!", "%69 VD92EX0"},
	{"base-45", "UJCLQE7W581"},
	{"ietf!", "QED8WEX0"},
	{"", ""},
}

func TestRFCVectors(t *testing.T) {
	t.Parallel()
	for _, v := range rfcVectors {
		if got := Encode([]byte(v.plain)); got != v.encoded {
			t.Errorf("Encode(%q) = %q, want %q", v.plain, got, v.encoded)
		}
		got, err := Decode(v.encoded)
		if err != nil || string(got) != v.plain {
			t.Errorf("Decode(%q) = %q, %v; want %q", v.encoded, got, err, v.plain)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		offset   int
	}{
		{"lowercase", "bb8", 0},
		{"outside alphabet", "BB#", 2},
		{"triple overflow", "GGW", 0}, // 16 + 16*45 + 32*2025 = 65536
		{"max triple plus one late", "BB8:::", 3},
		{"pair overflow", "BB8:6", 3}, // 44 + 6*45 = 314 > 255
		{"non-ascii", "BB\xc3", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in)
			var ce *CorruptInputError
			if !errors.As(err, &ce) {
				t.Fatalf("Decode(%q) error = %v, want CorruptInputError", tt.in, err)
			}
			if ce.Offset != tt.offset {
				t.Errorf("offset = %d, want %d", ce.Offset, tt.offset)
			}
		})
	}
	for _, in := range []string{"B", "BB8B", "%69 VD92EX0AB"} {
		if _, err := Decode(in); !errors.Is(err, ErrLength) {
			t.Errorf("Decode(%q) error = %v, want ErrLength", in, err)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	// The largest values each group can hold decode, and round-trip.
	for _, b := range [][]byte{{0xff, 0xff}, {0xff}, {0, 0}, {0}} {
		enc := Encode(b)
		got, err := Decode(enc)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("round trip %x via %q = %x, %v", b, enc, got, err)
		}
	}
	if Encode([]byte{0xff, 0xff}) != "FGW" {
		t.Errorf("Encode(ffff) = %q, want FGW", Encode([]byte{0xff, 0xff}))
	}
}

// TestNeverEndsInSpace pins the property the credential decoder relies on to
// trim surrounding whitespace safely: the last character of any encoding is
// at most 'W' (a triple's top digit ≤ 65535/2025 = 32) or '5' (a pair's top
// digit ≤ 255/45 = 5), never a space.
func TestNeverEndsInSpace(t *testing.T) {
	t.Parallel()
	for n := 0; n <= 0xffff; n++ {
		if e := Encode([]byte{byte(n >> 8), byte(n)}); e[2] > 'W' || e[2] == ' ' {
			t.Fatalf("Encode(%04x) = %q ends in %q", n, e, e[2])
		}
	}
	for n := 0; n <= 0xff; n++ {
		if e := Encode([]byte{byte(n)}); e[1] > '5' {
			t.Fatalf("Encode(%02x) = %q ends in %q", n, e, e[1])
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, v := range rfcVectors {
		f.Add(v.encoded)
	}
	f.Add("GGW")
	f.Add("B")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Decode(s)
		if err != nil {
			return
		}
		// Strictness: a text that decodes is the only encoding of its bytes.
		if again := Encode(b); again != s {
			t.Fatalf("Decode(%q) = %x, which encodes to %q", s, b, again)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("Hello!!"))
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Decode(Encode(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %x = %x, %v", b, got, err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	src := Encode(bytes.Repeat([]byte{0x5a, 0xa5, 0x17}, 100))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Decode(src); err != nil {
			b.Fatal(err)
		}
	}
}
