package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing"
)

// sampleGrey reads a dim×dim module grid from the grey plane through h. gozxing samples one pixel of the binarized
// picture a module; under blur and sensor noise that pixel is often wrong
// (Reed–Solomon failures on webcam frames whose finder patterns were found
// right). Here each module is the mean of five points across its middle,
// and is black when darker than the mean of the modules around it, which
// follows glare and shading. It returns nil if the grid leaves the plane.
func sampleGrey(p *plane, h *homography, dim int) *gozxing.BitMatrix {
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
	return threshold(v, dim)
}

// thresholdRadius: a module is compared with the modules within 4 of it
// (a 9×9 window): wider than a finder pattern, narrower than a glare spot.
const thresholdRadius = 4

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
