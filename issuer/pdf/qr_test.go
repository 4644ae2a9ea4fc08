package pdf

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/minedu-cla/cla/qr"
)

// TestEncodeModules decodes the PNG with image/png: every pixel is the
// module it belongs to, or the light quiet zone.
func TestEncodeModules(t *testing.T) {
	code, err := qr.Encode("CLA1:TEST")
	if err != nil {
		t.Fatal(err)
	}
	const quiet, px = 2, 3
	data, err := encodeModules(code, quiet, px)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	side := (code.Size + 2*quiet) * px
	if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
		t.Fatalf("image %v, want %d×%d", b, side, side)
	}
	for y := range side {
		for x := range side {
			mx, my := x/px-quiet, y/px-quiet
			want := mx >= 0 && my >= 0 && mx < code.Size && my < code.Size && code.Dark(mx, my)
			if r, _, _, _ := img.At(x, y).RGBA(); (r == 0) != want {
				t.Fatalf("pixel (%d, %d) dark %v, want %v", x, y, r == 0, want)
			}
		}
	}
}

func TestQRSide(t *testing.T) {
	tests := []struct {
		version      int
		symbol, side float64
	}{
		{1, qrMinMM, qrMinMM * 29 / 21},    // small codes print at the minimum
		{15, qrMinMM, qrMinMM * 85 / 77},   // the 13-year code
		{25, 117 * qrModMM, 125 * qrModMM}, // modules never shrink under qrModMM
		{40, qrMaxMM, qrMaxMM * 185 / 177}, // up to the cap
	}
	for _, tc := range tests {
		n := 17 + 4*tc.version
		side := qrSide(n + 2*qrQuiet)
		if math.Abs(side-tc.side) > 1e-9 {
			t.Errorf("version %d: %.2f mm, want %.2f", tc.version, side, tc.side)
		}
		if symbol := side * float64(n) / float64(n+2*qrQuiet); symbol < 35 {
			t.Errorf("version %d: symbol %.2f mm, docs/DESIGN.md wants ≥ 35", tc.version, symbol)
		}
	}
}

func TestMakeQR(t *testing.T) {
	d := sealed(t, sample13())
	qr, err := makeQR(d.QRText)
	if err != nil {
		t.Fatal(err)
	}
	if qr.modules != 77+2*qrQuiet { // version 15 (docs/DESIGN.md's budget)
		t.Errorf("%d modules with quiet zone, want 85", qr.modules)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(qr.png))
	if err != nil || cfg.Width != qr.modules*qrPx {
		t.Errorf("PNG %v, %v; want %d px wide", cfg, err, qr.modules*qrPx)
	}
}
