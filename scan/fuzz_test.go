package scan

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/gif" // FuzzImage decodes whatever image.Decode knows
	"image/jpeg"
	"image/png"
	"testing"
	"time"
)

// fuzzBudget bounds one fuzz input: a valid 40 MP picture takes seconds.
const fuzzBudget = 10 * time.Second

// seeds are small real pictures: a code at 1 and 2 px a module (PNG and
// JPEG), its negative, and broken versions.
func seeds(f *testing.F) [][]byte {
	f.Helper()
	text := sealed(f, "fuzz")
	var out [][]byte
	for _, px := range []int{1, 2} {
		g := symbol(f, text, px)
		var p, j bytes.Buffer
		if err := png.Encode(&p, g); err != nil {
			f.Fatal(err)
		}
		if err := jpeg.Encode(&j, g, &jpeg.Options{Quality: 50}); err != nil {
			f.Fatal(err)
		}
		out = append(out, p.Bytes(), j.Bytes(), p.Bytes()[:len(p.Bytes())/2], j.Bytes()[:len(j.Bytes())/2])
	}
	return append(out, pngHeader(f, 100_000, 100_000), pngHeader(f, 1, 1), []byte("\xff\xd8\xff"), nil)
}

// FuzzReader feeds bytes to the File path (Reader → sniff → caps →
// decode → pipeline): it must not panic, and refuses what is over the caps.
func FuzzReader(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzBudget)
		defer cancel()
		texts, err := Reader(ctx, bytes.NewReader(data))
		if err == nil && len(texts) == 0 {
			t.Fatal("no error and no text")
		}
		if cfg, _, cerr := image.DecodeConfig(bytes.NewReader(data)); cerr == nil &&
			cfg.Width*cfg.Height > MaxPixels && !errors.Is(err, ErrImageTooLarge) {
			t.Fatalf("%d×%d accepted: %v", cfg.Width, cfg.Height, err)
		}
	})
}

// FuzzImage decodes bytes with image.Decode (PNG, JPEG, GIF: paletted)
// within the caps and hands the image to Image.
func FuzzImage(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > MaxPixels || cfg.Width > MaxSide || cfg.Height > MaxSide {
			return
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzBudget)
		defer cancel()
		Image(ctx, img)
	})
}

// FuzzGray hands arbitrary buffers and dimensions to Gray.
func FuzzGray(f *testing.F) {
	g := symbol(f, sealed(f, "fuzz gray"), 1)
	f.Add(g.Pix, uint16(g.Rect.Dx()), uint16(g.Rect.Dy()), uint16(g.Rect.Dx()))
	f.Add(g.Pix, uint16(40), uint16(40), uint16(33))
	f.Add([]byte{0, 255}, uint16(2), uint16(1), uint16(2))
	f.Fuzz(func(t *testing.T, pix []byte, w, h, stride uint16) {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzBudget)
		defer cancel()
		before := append([]byte(nil), pix...)
		Gray(ctx, pix, int(w), int(h), int(stride))
		if !bytes.Equal(before, pix) {
			t.Fatal("Gray changed its input")
		}
	})
}
