package qr

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
	goqrcode "github.com/skip2/go-qrcode"
)

// TestSameAsZXing: for texts of every length class, the symbol is module
// for module gozxing's (version, mask and all).
func TestSameAsZXing(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var texts []string
	for _, n := range []int{1, 2, 7, 20, 77, 154, 155, 300, 361, 362, 500, 1000, 1800} {
		for range 3 {
			texts = append(texts, randomText(rnd, alnumSet, n))
		}
	}
	texts = append(texts, "CLA1:RRQT 9P60GO0*ID6:B7YQ0WM8CKGEL/70UY9C", "lower case, byte mode", strings.Repeat("~", 300),
		"0", "12", "123", "0123456789", strings.Repeat("7", 1000), "")
	for _, text := range texts {
		got, err := Encode(text)
		if err != nil {
			t.Fatalf("%d characters: %v", len(text), err)
		}
		want, werr := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_Q)
		if werr != nil {
			t.Fatal(werr)
		}
		if got.Version != want.GetVersion().GetVersionNumber() || got.Mask != want.GetMaskPattern() {
			t.Errorf("%d characters: version %d mask %d, ZXing %v mask %d", len(text), got.Version, got.Mask,
				want.GetVersion(), want.GetMaskPattern())
			continue
		}
		m := want.GetMatrix()
		for y := range got.Size {
			for x := range got.Size {
				if got.Dark(x, y) != (m.Get(x, y) == 1) {
					t.Fatalf("%d characters, version %d: module (%d, %d) differs", len(text), got.Version, x, y)
				}
			}
		}
	}
}

func randomText(rnd *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rnd.IntN(len(alphabet))]
	}
	return string(b)
}

func TestTooLong(t *testing.T) {
	if _, err := Encode(strings.Repeat("A", 2500)); err == nil {
		t.Error("2,500 alphanumeric characters fit level Q? (the most is 2,420)")
	}
	if _, err := Encode(strings.Repeat("A", 2420)); err != nil {
		t.Errorf("2,420 characters: %v", err)
	}
}

// BenchmarkEncode encodes a 13-year code (version 15), against gozxing's
// encoder on the same text.
func BenchmarkEncode(b *testing.B) {
	text := "CLA1:" + randomText(rand.New(rand.NewPCG(3, 4)), alnumSet, 355)
	b.Run("qr", func(b *testing.B) {
		for b.Loop() {
			if _, err := Encode(text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=gozxing", func(b *testing.B) {
		for b.Loop() {
			if _, err := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_Q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func ExampleEncode() {
	c, _ := Encode("CLA1:HELLO")
	fmt.Println(c.Version, c.Size)
	// Output: 1 21
}

// FuzzSameAsZXing: any ASCII text encodes as gozxing encodes it (ZXing
// reads other bytes as ISO-8859-1, Encode takes them as they are).
// TestLinkSegments: the constancia's link (an uppercase URL, "#", base32)
// is coded in alphanumeric, byte and alphanumeric segments, in fewer
// versions than ZXing's single byte segment and no more than
// go-qrcode's optimiser, and reads back exactly.
func TestLinkSegments(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{20, 200, 405, 450, 1200} {
		text := "HTTPS://CLA.MINEDU.GOB.PE/V#" + randomText(rnd, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n)
		got, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		segs := mixed(text)
		if len(segs) != 3 || segs[0].mode != alphanumeric || segs[1] != (segment{"#", byteMode}) || segs[2].mode != alphanumeric {
			t.Fatalf("%d characters: segments %v", n, segs)
		}
		zx, err := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_Q)
		if err != nil {
			t.Fatal(err)
		}
		sk, err := goqrcode.New(text, goqrcode.High) // 25%: level Q
		if err != nil {
			t.Fatal(err)
		}
		if got.Version >= zx.GetVersion().GetVersionNumber() || got.Version > sk.VersionNumber {
			t.Errorf("%d characters: version %d; ZXing (one byte segment) %d, go-qrcode %d", n, got.Version,
				zx.GetVersion().GetVersionNumber(), sk.VersionNumber)
		}
		if back := readBack(t, got); back != text {
			t.Errorf("%d characters: read back %q", n, back)
		}
	}
}

// readBack decodes a symbol's modules with gozxing's decoder.
func readBack(t testing.TB, c *Code) string {
	t.Helper()
	m, _ := gozxing.NewBitMatrix(c.Size, c.Size)
	for y := range c.Size {
		for x := range c.Size {
			if c.Dark(x, y) {
				m.Set(x, y)
			}
		}
	}
	r, err := decoder.NewDecoder().Decode(m, nil)
	if err != nil {
		t.Fatalf("version %d: gozxing cannot read it: %v", c.Version, err)
	}
	return r.GetText()
}

func FuzzSameAsZXing(f *testing.F) {
	f.Add("CLA1:RRQT 9P60GO0*ID6:B7YQ0WM8CKGEL/70UY9C")
	f.Add("lower case")
	f.Add("0123456789")
	f.Add("HTTP://LOCALHOST:8080/V#ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
	f.Fuzz(func(t *testing.T, text string) {
		for i := 0; i < len(text); i++ {
			if text[i] >= 0x80 {
				t.Skip()
			}
		}
		got, err := Encode(text)
		want, werr := encoder.Encoder_encodeWithoutHint(text, decoder.ErrorCorrectionLevel_Q)
		if (err != nil) != (werr != nil) {
			t.Fatalf("Encode: %v; gozxing: %v", err, werr)
		}
		if err != nil {
			return
		}
		if got.Version < want.GetVersion().GetVersionNumber() { // segments won
			if back := readBack(t, got); back != text {
				t.Fatalf("read back %q", back)
			}
			return
		}
		m := want.GetMatrix()
		for y := range got.Size {
			for x := range got.Size {
				if got.Dark(x, y) != (m.Get(x, y) == 1) {
					t.Fatalf("module (%d, %d) differs", x, y)
				}
			}
		}
	})
}
