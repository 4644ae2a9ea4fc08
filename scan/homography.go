package scan

import "math"

// homography maps module space (x right, y down, module centres at +0.5)
// to pixels: a 3×3 matrix with h[8] = 1.
type homography [9]float64

func (h *homography) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// pair is a point in module space and where it is in the picture.
type pair struct{ mx, my, px, py float64 }

// fit returns the homography that best maps the module points of ps to
// their pixels (least squares over the linearised equations, ≥ 4 pairs).
// Coordinates are centred and scaled first, so the normal equations stay
// well conditioned for pictures thousands of pixels wide.
func fit(ps []pair) (homography, bool) {
	if len(ps) < 4 {
		return homography{}, false
	}
	mn, pn := normaliser(ps, false), normaliser(ps, true)
	var ata [8][9]float64
	for _, p := range ps {
		x, y := (p.mx-mn[0])*mn[2], (p.my-mn[1])*mn[2]
		u, v := (p.px-pn[0])*pn[2], (p.py-pn[1])*pn[2]
		for _, row := range [2][9]float64{
			{x, y, 1, 0, 0, 0, -u * x, -u * y, u},
			{0, 0, 0, x, y, 1, -v * x, -v * y, v},
		} {
			for i := range 8 {
				for j := range 9 {
					ata[i][j] += row[i] * row[j]
				}
			}
		}
	}
	sol, ok := solve8(ata)
	if !ok {
		return homography{}, false
	}
	// Undo the normalisations: H = Np⁻¹ · Hn · Nm.
	hn := [9]float64{sol[0], sol[1], sol[2], sol[3], sol[4], sol[5], sol[6], sol[7], 1}
	nm := [9]float64{mn[2], 0, -mn[0] * mn[2], 0, mn[2], -mn[1] * mn[2], 0, 0, 1}
	np := [9]float64{1 / pn[2], 0, pn[0], 0, 1 / pn[2], pn[1], 0, 0, 1}
	h := mul(np, mul(hn, nm))
	if h[8] == 0 || math.IsNaN(h[8]) {
		return homography{}, false
	}
	var out homography
	for i := range h {
		out[i] = h[i] / h[8]
	}
	return out, true
}

// normaliser returns the centroid and a scale bringing the mean distance
// to √2, of the module points or of the pixels.
func normaliser(ps []pair, pixels bool) [3]float64 {
	cx, cy := 0.0, 0.0
	for _, p := range ps {
		x, y := p.mx, p.my
		if pixels {
			x, y = p.px, p.py
		}
		cx, cy = cx+x, cy+y
	}
	n := float64(len(ps))
	cx, cy = cx/n, cy/n
	d := 0.0
	for _, p := range ps {
		x, y := p.mx, p.my
		if pixels {
			x, y = p.px, p.py
		}
		d += math.Hypot(x-cx, y-cy)
	}
	if d == 0 {
		return [3]float64{cx, cy, 1}
	}
	return [3]float64{cx, cy, math.Sqrt2 * n / d}
}

func mul(a, b [9]float64) [9]float64 {
	var c [9]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				c[3*i+j] += a[3*i+k] * b[3*k+j]
			}
		}
	}
	return c
}

// solve8 solves an augmented 8×9 system by Gauss–Jordan elimination with
// partial pivoting.
func solve8(a [8][9]float64) ([8]float64, bool) {
	for c := range 8 {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return [8]float64{}, false
		}
		a[c], a[p] = a[p], a[c]
		for r := range 8 {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k < 9; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	var x [8]float64
	for i := range x {
		x[i] = a[i][8] / a[i][i]
	}
	return x, true
}
