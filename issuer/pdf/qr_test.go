package pdf

import (
	"bytes"
	"image/png"
	"math"
	"testing"
)

// TestEncodeModules decodes the PNG with image/png: every pixel is the
// module it belongs to.
func TestEncodeModules(t *testing.T) {
	bits := [][]bool{{true, false, true}, {false, false, true}, {true, true, false}}
	data, err := encodeModules(bits, 3)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 9 || b.Dy() != 9 {
		t.Fatalf("image %v, want 9×9", b)
	}
	for y := range 9 {
		for x := range 9 {
			r, _, _, _ := img.At(x, y).RGBA()
			if dark := r == 0; dark != bits[y/3][x/3] {
				t.Fatalf("pixel (%d, %d) dark %v", x, y, dark)
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
			t.Errorf("version %d: symbol %.2f mm, DESIGN.md wants ≥ 35", tc.version, symbol)
		}
	}
}

func TestMakeQR(t *testing.T) {
	d := sealed(t, sample13())
	qr, err := makeQR(d.QRText)
	if err != nil {
		t.Fatal(err)
	}
	if qr.modules != 77+2*qrQuiet { // version 15 (DESIGN.md's budget)
		t.Errorf("%d modules with quiet zone, want 85", qr.modules)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(qr.png))
	if err != nil || cfg.Width != qr.modules*qrPx {
		t.Errorf("PNG %v, %v; want %d px wide", cfg, err, qr.modules*qrPx)
	}
}
