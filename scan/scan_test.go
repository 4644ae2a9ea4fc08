package scan

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/internal/sample"
	qrcode "github.com/skip2/go-qrcode"
)

// sealed returns a real CLA QR text: 13 school years, key named name.
func sealed(t testing.TB, name string) string {
	t.Helper()
	text, _, _, err := sample.Sealed(sample.Key(name), sample.Student(), 13)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// symbol renders text at level Q, px pixels a module, quiet zone included,
// black on white.
func symbol(t testing.TB, text string, px int) *image.Gray {
	t.Helper()
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		t.Fatal(err)
	}
	bits := q.Bitmap()
	n := len(bits) * px
	g := image.NewGray(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			if !bits[y/px][x/px] {
				g.Pix[y*n+x] = 255
			}
		}
	}
	return g
}

// convert draws src into a new image of the kind made by mk.
func convert(src image.Image, mk func(image.Rectangle) draw.Image) image.Image {
	dst := mk(src.Bounds())
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

func TestImageTypes(t *testing.T) {
	t.Parallel()
	text := sealed(t, "types")
	g := symbol(t, text, 4)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, convert(g, func(r image.Rectangle) draw.Image { return image.NewRGBA(r) }), nil); err != nil {
		t.Fatal(err)
	}
	ycbcr, err := jpeg.Decode(&jpg)
	if err != nil {
		t.Fatal(err)
	}
	// Transparent paper: modules opaque black, the rest alpha 0 with
	// black colour, which must read as white paper, not black.
	transparent := image.NewNRGBA(g.Bounds())
	for i, v := range g.Pix {
		if v == 0 {
			transparent.Pix[4*i+3] = 255
		}
	}
	offset := image.NewRGBA(image.Rect(-30, 50, g.Rect.Dx()+10, g.Rect.Dy()+90))
	draw.Draw(offset, offset.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(offset, g.Bounds().Add(image.Pt(-20, 70)), g, image.Point{}, draw.Src)
	tests := []struct {
		name string
		img  image.Image
	}{
		{"gray", g},
		{"ycbcr", ycbcr},
		{"rgba", convert(g, func(r image.Rectangle) draw.Image { return image.NewRGBA(r) })},
		{"nrgba", convert(g, func(r image.Rectangle) draw.Image { return image.NewNRGBA(r) })},
		{"nrgba transparent", transparent},
		{"paletted", convert(g, func(r image.Rectangle) draw.Image {
			return image.NewPaletted(r, color.Palette{color.Black, color.White})
		})},
		{"gray16 (generic path)", convert(g, func(r image.Rectangle) draw.Image { return image.NewGray16(r) })},
		{"cmyk (generic path)", convert(g, func(r image.Rectangle) draw.Image { return image.NewCMYK(r) })},
		{"rgba with offset bounds", offset},
		{"sub-image", offset.SubImage(image.Rect(-25, 60, g.Rect.Dx(), g.Rect.Dy()+85))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Image(context.Background(), tt.img)
			if err != nil || len(got) != 1 || got[0] != text {
				t.Fatalf("Image = %q, %v; want the sealed text", got, err)
			}
		})
	}
}

func TestGray(t *testing.T) {
	t.Parallel()
	text := sealed(t, "gray")
	g := symbol(t, text, 3)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// The same picture with 7 bytes of padding a row, as camera buffers.
	padded := make([]byte, h*(w+7))
	for y := range h {
		copy(padded[y*(w+7):], g.Pix[y*w:(y+1)*w])
	}
	tests := []struct {
		name                 string
		pix                  []byte
		width, height, strid int
		want                 error
	}{
		{"tight", g.Pix, w, h, w, nil},
		{"stride", padded, w, h, w + 7, nil},
		{"stride without last padding", padded[:len(padded)-7], w, h, w + 7, nil},
		{"short buffer", g.Pix[:len(g.Pix)-1], w, h, w, ErrUnsupported},
		{"stride below width", g.Pix, w, h, w - 1, ErrUnsupported},
		{"zero width", g.Pix, 0, h, w, ErrUnsupported},
		{"negative height", g.Pix, w, -1, w, ErrUnsupported},
		{"over MaxSide", g.Pix, MaxSide + 1, 1, MaxSide + 1, ErrImageTooLarge},
		{"over MaxPixels", g.Pix, 10_000, 10_000, 10_000, ErrImageTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Gray(context.Background(), tt.pix, tt.width, tt.height, tt.strid)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil || len(got) != 1 || got[0] != text {
				t.Fatalf("Gray = %q, %v", got, err)
			}
		})
	}
	if g.Pix[0] != 255 || padded[0] != 255 {
		t.Error("Gray changed its input")
	}
}

func TestInverted(t *testing.T) {
	t.Parallel()
	text := sealed(t, "inverted")
	g := symbol(t, text, 4)
	for i, v := range g.Pix {
		g.Pix[i] = 255 - v
	}
	got, err := Image(context.Background(), g)
	if err != nil || len(got) != 1 || got[0] != text {
		t.Fatalf("Image = %q, %v", got, err)
	}
}

// TestReadingOrder puts four codes in a 2×2 grid, the right column a little
// lower, as on a tilted photo: top row first, left to right.
func TestReadingOrder(t *testing.T) {
	t.Parallel()
	var texts []string
	canvas := image.NewGray(image.Rect(0, 0, 900, 900))
	draw.Draw(canvas, canvas.Bounds(), image.White, image.Point{}, draw.Src)
	for i, at := range []image.Point{{20, 20}, {470, 60}, {20, 470}, {470, 510}} {
		texts = append(texts, sealed(t, string(rune('a'+i))))
		s := symbol(t, texts[i], 4)
		draw.Draw(canvas, s.Bounds().Add(at), s, image.Point{}, draw.Src)
	}
	got, err := Image(context.Background(), canvas)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("found %d codes, want 4", len(got))
	}
	for i := range texts {
		if got[i] != texts[i] {
			t.Errorf("code %d out of reading order", i)
		}
	}
}

func TestNoCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		img  image.Image
	}{
		{"white", image.NewUniform(color.White)},
		{"tiny", image.NewGray(image.Rect(0, 0, 3, 3))},
		{"empty", image.NewGray(image.Rectangle{})},
		{"noise", noise(400, 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img := tt.img
			if u, ok := img.(*image.Uniform); ok {
				img = convert(u, func(image.Rectangle) draw.Image { return image.NewGray(image.Rect(0, 0, 200, 200)) })
			}
			if got, err := Image(context.Background(), img); !errors.Is(err, ErrNoCode) {
				t.Fatalf("Image = %q, %v; want ErrNoCode", got, err)
			}
		})
	}
	if _, err := Image(context.Background(), nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Image(nil) = %v", err)
	}
}

// noise is a deterministic pseudo-random grey picture.
func noise(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range g.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		g.Pix[i] = uint8(x)
	}
	return g
}

func TestContextCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Image(ctx, noise(300, 300)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFile(t *testing.T) {
	t.Parallel()
	text := sealed(t, "file")
	dir := t.TempDir()
	var pngData, jpgData bytes.Buffer
	g := symbol(t, text, 4)
	if err := png.Encode(&pngData, g); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpgData, g, &jpeg.Options{Quality: 40}); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path string
		want       error
	}{
		{"png", write("a.png", pngData.Bytes()), nil},
		{"jpeg q40", write("a.jpg", jpgData.Bytes()), nil},
		{"png named .jpg: content decides", write("b.jpg", pngData.Bytes()), nil},
		{"gif", write("c.gif", []byte("GIF89a\x01\x00\x01\x00")), ErrUnsupported},
		{"text", write("d.png", []byte("CLA1:not a picture")), ErrUnsupported},
		{"truncated png", write("e.png", pngData.Bytes()[:200]), ErrUnsupported},
		{"empty", write("f.png", nil), ErrUnsupported},
		{"png bomb header", write("g.png", pngHeader(t, 100_000, 100_000)), ErrImageTooLarge},
		{"png over MaxPixels", write("h.png", pngHeader(t, 8000, 8000)), ErrImageTooLarge},
		{"missing", filepath.Join(dir, "missing.png"), os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := File(context.Background(), tt.path)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil || len(got) != 1 || got[0] != text {
				t.Fatalf("File = %q, %v", got, err)
			}
		})
	}
}
