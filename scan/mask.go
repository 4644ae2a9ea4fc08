package scan

import "math"

// quad is a code's outline in base-plane pixels: corners in order
// bottom-left, top-left, top-right, bottom-right.
type quad [4][2]float64

// outline returns the outline of c, whose finder centres are in a view
// with the given mapping to the base plane, grown to cover the finder
// patterns and the quiet zone.
func outline(c code, v *view) quad {
	bl, tl, tr := v.toBase(c.pts[0]), v.toBase(c.pts[1]), v.toBase(c.pts[2])
	br := [2]float64{tr[0] + bl[0] - tl[0], tr[1] + bl[1] - tl[1]}
	q := quad{bl, tl, tr, br}
	cx, cy := (bl[0]+tr[0])/2, (bl[1]+tr[1])/2
	for i := range q {
		q[i][0] = cx + (q[i][0]-cx)*maskGrowth
		q[i][1] = cy + (q[i][1]-cy)*maskGrowth
	}
	return q
}

// maskGrowth scales the finder-centre parallelogram to the whole symbol:
// finder centres sit 3.5 modules in, the quiet zone is 4 more, and a
// version 13 code has 62 modules between finder centres: (62+15)/62 ≈ 1.25.
const maskGrowth = 1.3

func (q quad) centre() [2]float64 {
	return [2]float64{(q[0][0] + q[2][0]) / 2, (q[0][1] + q[2][1]) / 2}
}

// size is the length of the top edge, for reading order.
func (q quad) size() float64 {
	return math.Hypot(q[2][0]-q[1][0], q[2][1]-q[1][1])
}

// mask paints q white in p, so that the next pass finds the other codes
// instead of this one again: a flat area holds no finder pattern, and
// HybridBinarizer reads it as blank whatever its level.
func mask(p *plane, q quad) {
	y0, y1 := p.h, -1
	for _, c := range q {
		y0, y1 = min(y0, int(math.Floor(c[1]))), max(y1, int(math.Ceil(c[1])))
	}
	for y := max(y0, 0); y <= min(y1, p.h-1); y++ {
		x0, x1, ok := q.span(float64(y))
		if !ok {
			continue
		}
		row := p.pix[y*p.w : (y+1)*p.w]
		for x := max(int(math.Ceil(x0)), 0); x <= min(int(math.Floor(x1)), p.w-1); x++ {
			row[x] = 255
		}
	}
}

// span returns where the horizontal line at y enters and leaves the convex
// quad q.
func (q quad) span(y float64) (x0, x1 float64, ok bool) {
	x0, x1 = math.Inf(1), math.Inf(-1)
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		if (a[1] <= y && y <= b[1]) || (b[1] <= y && y <= a[1]) {
			x := a[0]
			if b[1] != a[1] {
				x = a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
			}
			x0, x1 = min(x0, x), max(x1, x)
		}
	}
	return x0, x1, x0 <= x1
}
