package scan

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/minedu-cla/cla/internal/degrade"
)

// baseline is gozxing as LIBRARIES.md measured it: the image source that
// calls At per pixel, HybridBinarizer, the single QR reader.
func baseline(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(img)))
	if err != nil {
		return "", err
	}
	r, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return r.GetText(), nil
}

// webcamFrame returns the first webcam frame of the degraded set's seed
// with the given width that the baseline decodes too, so both sides time
// a success.
func webcamFrame(b *testing.B, width int) (*image.YCbCr, string) {
	b.Helper()
	for i := range 30 {
		c, err := degrade.Spec{Category: "webcam", Index: i, Seed: setSeed}.Render()
		if err != nil {
			b.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(c.Data))
		if err != nil {
			b.Fatal(err)
		}
		if img.Bounds().Dx() != width {
			continue
		}
		if text, err := baseline(img); err == nil && text == c.Texts[0] {
			return img.(*image.YCbCr), c.Texts[0]
		}
	}
	b.Skip("no frame the baseline decodes")
	return nil, ""
}

// benchFrame times a webcam frame three ways in one run. Target: Gray at
// least 2× faster than the baseline (whose At-per-pixel conversion alone
// is 25–33 ms on 1080p), and every decode exact.
func benchFrame(b *testing.B, width int) {
	img, want := webcamFrame(b, width)
	ctx := context.Background()
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	check := func(b *testing.B, got []string, err error) {
		if err != nil || len(got) != 1 || got[0] != want {
			b.Fatalf("got %q, %v", got, err)
		}
	}
	b.Run("gozxing-baseline", func(b *testing.B) {
		for b.Loop() {
			if text, err := baseline(img); err != nil || text != want {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan.Image", func(b *testing.B) {
		for b.Loop() {
			got, err := Image(ctx, img)
			check(b, got, err)
		}
	})
	b.Run("scan.Gray", func(b *testing.B) {
		for b.Loop() {
			got, err := Gray(ctx, img.Y, w, h, img.YStride)
			check(b, got, err)
		}
	})
}

func BenchmarkFrame720p(b *testing.B)  { benchFrame(b, 1280) }
func BenchmarkFrame1080p(b *testing.B) { benchFrame(b, 1920) }

// BenchmarkNoCode720p times a frame of printed text with no code: the
// whole pipeline runs and fails, as on most frames of a webcam loop.
func BenchmarkNoCode720p(b *testing.B) {
	data, err := degrade.NoCode(setSeed, 1280, 720)
	if err != nil {
		b.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	y := img.(*image.YCbCr)
	b.Run("gozxing-baseline", func(b *testing.B) {
		for b.Loop() {
			baseline(img)
		}
	})
	b.Run("scan.Gray", func(b *testing.B) {
		for b.Loop() {
			if _, err := Gray(context.Background(), y.Y, 1280, 720, y.YStride); err != ErrNoCode {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSet times File per picture over the degraded set next to
// zbarimg run as a process per picture (what `cla-verify scan --raw` will
// be compared with). Target (issue 5): ≤ 1× zbarimg's time a picture.
// Reported as ns/image; ns/op is the whole set.
func BenchmarkSet(b *testing.B) {
	cases := loadSet(b)
	dir := b.TempDir()
	var paths []string
	for _, c := range cases {
		p := filepath.Join(dir, c.Name)
		if err := os.WriteFile(p, c.Data, 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	b.Run("scan.File", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				File(context.Background(), p)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/image")
	})
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		return
	}
	b.Run("zbarimg-baseline", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				exec.Command(zbar, "--raw", "-q", p).Run()
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/image")
	})
}
