package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing"
)

// sampleGrey reads the grey level of every module of a dim×dim grid from
// the plane through h, row-major. gozxing samples one pixel of the binarized
// picture a module; under blur and sensor noise that pixel is often wrong
// (Reed–Solomon failures on webcam frames whose finder patterns were found
// right). Here each module is the mean of five points across its middle.
// It returns nil if the grid leaves the plane.
func sampleGrey(p *plane, h *homography, dim int) []float64 {
	v := make([]float64, dim*dim)
	offsets := [5][2]float64{{0.5, 0.5}, {0.3, 0.3}, {0.7, 0.3}, {0.3, 0.7}, {0.7, 0.7}}
	for y := range dim {
		for x := range dim {
			sum := 0.0
			for _, o := range offsets {
				px, py := h.apply(float64(x)+o[0], float64(y)+o[1])
				g, ok := p.bilinear(px, py)
				if !ok {
					return nil
				}
				sum += g
			}
			v[y*dim+x] = sum / 5
		}
	}
	return v
}

// thresholdRadius: a module is compared with the modules within 4 of it
// (a 9×9 window): wider than a finder pattern, narrower than a glare spot.
const thresholdRadius = 4

// threshold makes a module black when darker than the mean of the modules
// around it, which follows glare and shading.
func threshold(v []float64, dim int) *gozxing.BitMatrix {
	// Integral image over the module values.
	in := make([]float64, (dim+1)*(dim+1))
	for y := range dim {
		row := 0.0
		for x := range dim {
			row += v[y*dim+x]
			in[(y+1)*(dim+1)+x+1] = in[y*(dim+1)+x+1] + row
		}
	}
	bits, _ := gozxing.NewSquareBitMatrix(dim)
	for y := range dim {
		y0, y1 := max(y-thresholdRadius, 0), min(y+thresholdRadius+1, dim)
		for x := range dim {
			x0, x1 := max(x-thresholdRadius, 0), min(x+thresholdRadius+1, dim)
			s := in[y1*(dim+1)+x1] - in[y0*(dim+1)+x1] - in[y1*(dim+1)+x0] + in[y0*(dim+1)+x0]
			if v[y*dim+x] < s/float64((y1-y0)*(x1-x0)) {
				bits.Set(x, y)
			}
		}
	}
	return bits
}

// bilinear returns the grey level at (x, y), pixel centres at +0.5, or
// false well outside the plane.
func (p *plane) bilinear(x, y float64) (float64, bool) {
	x, y = x-0.5, y-0.5
	if x < -1 || y < -1 || x > float64(p.w) || y > float64(p.h) || math.IsNaN(x) || math.IsNaN(y) {
		return 0, false
	}
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 {
		return float64(p.pix[min(max(y, 0), p.h-1)*p.w+min(max(x, 0), p.w-1)])
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return top*(1-fy) + bot*fy, true
}

// sharpenings are tried in turn on a sampled grid: blur mixes each module
// with its neighbours, and subtracting the neighbours' mean undoes it
// (module errors on a blurred webcam frame: 102 unsharpened, 3 at 1.0; on
// a Gaussian blur of 0.6 module: 458, 144 at 1.0, 98 at 1.5).
var sharpenings = []float64{1, 0, 2}

// sharpen undoes some of the blur between neighbouring modules: each
// module moves away from the mean of its four neighbours by amount.
func sharpen(v []float64, dim int, amount float64) []float64 {
	if amount == 0 {
		return v
	}
	out := make([]float64, len(v))
	for y := range dim {
		for x := range dim {
			sum, n := 0.0, 0.0
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				if xx, yy := x+d[0], y+d[1]; xx >= 0 && yy >= 0 && xx < dim && yy < dim {
					sum, n = sum+v[yy*dim+xx], n+1
				}
			}
			out[y*dim+x] = v[y*dim+x] + amount*(v[y*dim+x]-sum/n)
		}
	}
	return out
}
