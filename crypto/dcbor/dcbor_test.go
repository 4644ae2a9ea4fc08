package dcbor

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

type doc struct {
	A uint64   `cbor:"1,keyasint"`
	B string   `cbor:"2,keyasint"`
	C []uint64 `cbor:"-1,keyasint"`
	D []byte   `cbor:"3,keyasint,omitempty"`
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	in := doc{A: 500, B: "ñ", C: []uint64{1, 2}}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// Keys sorted by encoded bytes: 1 (0x01), 2 (0x02), -1 (0x20).
	if want := "a3011901f40262c3b12082 0102"; hex.EncodeToString(b) != stripSpaces(want) {
		t.Fatalf("Marshal = %x, want %s", b, want)
	}
	var out doc
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.A != 500 || out.B != "ñ" || len(out.C) != 2 {
		t.Fatalf("Unmarshal = %+v", out)
	}
}

func stripSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

func TestUnmarshalRejects(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"non-shortest int":    "a3011a000001f40262c3b1208201 02",
		"unsorted keys":       "a30262c3b1011901f4208201 02",
		"duplicate key":       "a4011901f4011901f40262c3b12082 0102",
		"unknown key":         "a4011901f40262c3b12082010204 00",
		"missing key":         "a2011901f40262c3b1",
		"indefinite array":    "a3011901f40262c3b1209f0102ff",
		"null array":          "a3011901f40262c3b120f6",
		"tag":                 "a3011901f40262c3b120c18201 02",
		"invalid utf-8":       "a3011901f40262c3282082 0102",
		"trailing bytes":      "a3011901f40262c3b12082010200",
		"float":               "a301f94000 0262c3b12082 0102",
		"empty omitempty key": "a4011901f40262c3b1034020820102",
	}
	for name, h := range tests {
		b, err := hex.DecodeString(stripSpaces(h))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var out doc
		err = Unmarshal(b, &out)
		if err == nil {
			t.Errorf("%s: accepted %x as %+v", name, b, out)
		}
		t.Logf("%s: %v", name, err)
	}
	var out doc
	b, _ := hex.DecodeString("a3011a000001f40262c3b120820102")
	if err := Unmarshal(b, &out); !errors.Is(err, ErrNotDeterministic) {
		t.Errorf("non-shortest: %v, want ErrNotDeterministic", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, _ := Marshal(doc{A: 1, B: "x", C: []uint64{}})
	f.Add(good)
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d doc
		if Unmarshal(b, &d) != nil {
			return
		}
		// What decodes is canonical: it re-encodes to the same bytes.
		again, err := Marshal(d)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("%x decoded to %+v which encodes to %x", b, d, again)
		}
	})
}
