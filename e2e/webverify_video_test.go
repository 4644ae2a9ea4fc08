package e2e

import (
	"bufio"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// cameraVideo films a printed constancia the way a phone held over the
// paper sees it: the PDF's page rendered by poppler at 300 dpi
// (print resolution), then frames of 1280×720 around its QR code, each
// turned a few degrees, shifted, unevenly lit, blurred and grainy like a
// webcam's, written as a Y4M file Chromium's fake camera plays in a loop
// (--use-file-for-fake-video-capture). It also returns one frame as a
// JPEG "photo" for the file chooser.
func cameraVideo(t *testing.T, pdf, dir string, frames int) (y4m, photo string) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm not installed: make deps installs poppler-utils")
	}
	// Every page at 300 dpi (print resolution); the QR code is on one of
	// them, found by a reader we did not write.
	base := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-r", "300", "-gray", "-png", pdf, base).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(base + "-*.png")
	sort.Strings(pages)
	var page *image.Gray
	var res *gozxing.Result
	for _, p := range pages {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				g.Set(x, y, img.At(x, y))
			}
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(g)
		if err != nil {
			t.Fatal(err)
		}
		r, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
		if err == nil {
			page, res = g, r
			break
		}
	}
	if res == nil {
		t.Fatalf("no page of %d has a QR code gozxing reads", len(pages))
	}
	pts := res.GetResultPoints()
	var cx, cy, span float64
	for _, p := range pts[:3] {
		cx += p.GetX() / 3
		cy += p.GetY() / 3
	}
	span = math.Hypot(pts[0].GetX()-pts[1].GetX(), pts[0].GetY()-pts[1].GetY()) // finder to finder

	const W, H = 1280, 720
	rng := rand.New(rand.NewPCG(7, 11))
	y4m = filepath.Join(dir, "camera.y4m")
	out, err := os.Create(y4m)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", W, H)
	chroma := make([]byte, W*H/2)
	for i := range chroma {
		chroma[i] = 128
	}
	for i := 0; i < frames; i++ {
		// The finder patterns ~330 px apart on screen: a phone 20 cm above
		// the page. A few degrees of turn, some drift between frames.
		scale := span / (330 + 20*rng.Float64())
		angle := (3 + 3*rng.Float64()) * math.Pi / 180
		dx, dy := 60*(rng.Float64()-0.5), 40*(rng.Float64()-0.5)
		sin, cos := math.Sin(angle), math.Cos(angle)
		frame := image.NewGray(image.Rect(0, 0, W, H))
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				u, v := (float64(x)-W/2-dx)*scale, (float64(y)-H/2-dy)*scale
				px, py := cx+u*cos-v*sin, cy+u*sin+v*cos
				g := sample(page, px, py)
				light := 0.72 + 0.3*float64(x)/W - 0.08*float64(y)/H // a lamp to the right
				g = g*light + rng.NormFloat64()*5
				frame.Pix[y*W+x] = clamp(g)
			}
		}
		blur(frame)
		w.WriteString("FRAME\n")
		w.Write(frame.Pix)
		w.Write(chroma)
		if i == 0 {
			photo = filepath.Join(dir, "photo.jpg")
			pf, err := os.Create(photo)
			if err != nil {
				t.Fatal(err)
			}
			if err := jpeg.Encode(pf, frame, &jpeg.Options{Quality: 82}); err != nil {
				t.Fatal(err)
			}
			pf.Close()
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return y4m, photo
}

// sample reads the page at (x, y) bilinearly; off the page is a dark desk.
func sample(p *image.Gray, x, y float64) float64 {
	b := p.Bounds()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < b.Min.X || y0 < b.Min.Y || x0+1 >= b.Max.X || y0+1 >= b.Max.Y {
		return 60
	}
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 { return float64(p.Pix[(y-b.Min.Y)*p.Stride+(x-b.Min.X)]) }
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return top*(1-fy) + bot*fy
}

// blur is a 3×3 box blur: a webcam's lens is never sharp.
func blur(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	src := append([]byte(nil), g.Pix...)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			s := 0
			for j := -1; j <= 1; j++ {
				for i := -1; i <= 1; i++ {
					s += int(src[(y+j)*w+x+i])
				}
			}
			g.Pix[y*w+x] = uint8(s / 9)
		}
	}
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
