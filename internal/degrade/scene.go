package degrade

import (
	"math"

	qrcode "github.com/skip2/go-qrcode"
)

// Light levels of the scene, 0 (black) to 1 (white), before the camera
// maps them to pixel values.
const (
	inkLevel   = 0.08
	paperLevel = 0.92
)

// symbol is one QR code placed in the scene on its own sheet of paper.
type symbol struct {
	bits    [][]bool   // modules, quiet zone included
	n       float64    // side in modules, quiet zone included
	toLocal homography // image pixel → module coordinates
	margin  float64    // paper around the symbol, in modules
	words   *text      // printed text on the paper
	box     box        // bounding box in image pixels, for supersampling
}

// box is an axis-aligned rectangle [x0, x1) × [y0, y1).
type box struct{ x0, y0, x1, y1 float64 }

func (b box) has(x, y float64) bool { return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 }

// placement says where a symbol goes: centre and module size in pixels,
// rotation, and perspective as the largest corner shift (a fraction of the
// side).
type placement struct {
	cx, cy, module, angle, tilt, margin float64
}

// encode returns the modules of text at level Q (go-qrcode's High), with
// the 4-module quiet zone.
func encode(text string) ([][]bool, error) {
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}

// place puts bits in the scene; jitter draws the perspective corner shifts
// in [-1, 1].
func place(bits [][]bool, p placement, jitter func() float64) (*symbol, error) {
	n := float64(len(bits))
	half := n * p.module / 2
	sin, cos := math.Sincos(p.angle * math.Pi / 180)
	local := [4][2]float64{{0, 0}, {n, 0}, {n, n}, {0, n}}
	var img [4][2]float64
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		dx, dy := c[0]*half, c[1]*half
		x := p.cx + dx*cos - dy*sin + p.tilt*2*half*jitter()
		y := p.cy + dx*sin + dy*cos + p.tilt*2*half*jitter()
		img[i] = [2]float64{x, y}
		b = box{min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y)}
	}
	h, err := quadToQuad(img, local)
	if err != nil {
		return nil, err
	}
	pad := 2 * p.module
	return &symbol{bits: bits, n: n, toLocal: h, margin: p.margin,
		box: box{b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad}}, nil
}

// level returns the light at image point (x, y) if it falls on this
// symbol's sheet of paper.
func (s *symbol) level(x, y float64) (float64, bool) {
	u, v := s.toLocal.apply(x, y)
	if u >= 0 && v >= 0 && u < s.n && v < s.n {
		if s.bits[int(v)][int(u)] {
			return inkLevel, true
		}
		return paperLevel, true
	}
	if u < -s.margin || v < -s.margin || u >= s.n+s.margin || v >= s.n+s.margin {
		return 0, false
	}
	if s.words.has(u, v) {
		return inkLevel + 0.1, true
	}
	return paperLevel, true
}

// scene is the picture before the camera: a desk, sheets, symbols.
type scene struct {
	w, h    int
	desk    float64 // light of the desk around the sheets
	symbols []*symbol
}

// supersample is the samples per axis for pixels near a symbol: a camera
// integrates light over the pixel, so module edges are grey, not jagged.
const supersample = 2

// render returns the light of every pixel, row-major.
func (sc *scene) render() []float32 {
	out := make([]float32, sc.w*sc.h)
	for y := range sc.h {
		for x := range sc.w {
			out[y*sc.w+x] = float32(sc.pixel(float64(x), float64(y)))
		}
	}
	return out
}

func (sc *scene) pixel(x, y float64) float64 {
	near := false
	for _, s := range sc.symbols {
		near = near || s.box.has(x, y)
	}
	if !near {
		return sc.at(x+0.5, y+0.5)
	}
	sum := 0.0
	for i := range supersample {
		for j := range supersample {
			sum += sc.at(x+(float64(i)+0.5)/supersample, y+(float64(j)+0.5)/supersample)
		}
	}
	return sum / (supersample * supersample)
}

func (sc *scene) at(x, y float64) float64 {
	for _, s := range sc.symbols {
		if l, ok := s.level(x, y); ok {
			return l
		}
	}
	return sc.desk
}
