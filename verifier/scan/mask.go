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

// mask paints q in p with p's mean level, so that the next pass finds the
// other codes instead of this one again. HybridBinarizer reads a flat area
// as blank whatever its level.
func mask(p *plane, q quad) {
	x0, y0, x1, y1 := float64(p.w), float64(p.h), 0.0, 0.0
	for _, c := range q {
		x0, y0, x1, y1 = min(x0, c[0]), min(y0, c[1]), max(x1, c[0]), max(y1, c[1])
	}
	fill := p.mean()
	for y := max(int(y0), 0); y <= min(int(y1), p.h-1); y++ {
		for x := max(int(x0), 0); x <= min(int(x1), p.w-1); x++ {
			if q.has(float64(x), float64(y)) {
				p.pix[y*p.w+x] = fill
			}
		}
	}
}

// has reports whether (x, y) is inside the convex quad, whatever its
// winding (mirrored codes wind the other way).
func (q quad) has(x, y float64) bool {
	pos, neg := false, false
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		cross := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		pos, neg = pos || cross > 0, neg || cross < 0
	}
	return !(pos && neg)
}

func (p *plane) mean() uint8 {
	sum := 0
	for _, v := range p.pix {
		sum += int(v)
	}
	return uint8(sum / max(len(p.pix), 1))
}
