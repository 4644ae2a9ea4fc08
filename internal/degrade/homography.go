package degrade

import "errors"

// homography maps (x, y) to (u, v) projectively: a 3×3 matrix with h[8] = 1.
type homography [9]float64

func (h *homography) apply(x, y float64) (u, v float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// quadToQuad returns the homography mapping the four points src[i] to
// dst[i], by solving the usual 8×8 linear system.
func quadToQuad(src, dst [4][2]float64) (homography, error) {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := src[i][0], src[i][1], dst[i][0], dst[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	sol, err := solve(a)
	if err != nil {
		return homography{}, err
	}
	var h homography
	copy(h[:8], sol[:])
	h[8] = 1
	return h, nil
}

// solve runs Gauss–Jordan elimination with partial pivoting on an
// augmented 8×9 matrix.
func solve(a [8][9]float64) ([8]float64, error) {
	for c := range 8 {
		p := c
		for r := c + 1; r < 8; r++ {
			if abs(a[r][c]) > abs(a[p][c]) {
				p = r
			}
		}
		if abs(a[p][c]) < 1e-12 {
			return [8]float64{}, errors.New("degenerate quadrilateral")
		}
		a[c], a[p] = a[p], a[c]
		for r := range 8 {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var x [8]float64
	for i := range 8 {
		x[i] = a[i][8] / a[i][i]
	}
	return x, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
