package scan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Refining the module grid. gozxing maps the grid from the three finder
// centres and one alignment pattern, which its binary search often misses
// under blur or tilt; the grid is then an affine guess, wrong by several
// modules in the far corner of a tilted code (measured: 11 % of the modules
// of a 1280×720 webcam frame misread, beyond level Q's ~13 % of
// codewords). refine finds every alignment pattern of the version by
// matching its grey template near where the current grid puts it, nearest
// the finder patterns first, and refits a homography after each one.

// alignSearch is how far (modules) from its predicted place an alignment
// pattern is looked for, plus alignSlope per module of distance from the
// finder patterns: the prediction drifts with distance under perspective.
const (
	alignSearch = 2.0
	alignSlope  = 0.06
	// alignMinScore: a match must show this fraction of the contrast
	// of the top-left finder pattern.
	alignMinScore = 0.35
)

// refine returns the module→pixel homography of a dim-module code whose
// finder centres are info.
func refine(p *plane, info *detector.FinderPatternInfo, dim int) (homography, bool) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	d := float64(dim)
	anchors := []pair{{3.5, 3.5, tl.GetX(), tl.GetY()}, {d - 3.5, 3.5, tr.GetX(), tr.GetY()},
		{3.5, d - 3.5, bl.GetX(), bl.GetY()}}
	guess := pair{d - 3.5, d - 3.5, tr.GetX() + bl.GetX() - tl.GetX(), tr.GetY() + bl.GetY() - tl.GetY()}
	h, ok := fit(append(anchors[:3:3], guess))
	if !ok {
		return h, false
	}
	contrast := templateScore(p, &h, 3.5, 3.5, finderTemplate)
	if contrast <= 0 {
		return h, true
	}
	for _, t := range alignmentCentres(dim) {
		r := alignSearch + alignSlope*t[2]
		mx, my, s := bestMatch(p, &h, t[0], t[1], r)
		if s < alignMinScore*contrast {
			continue
		}
		px, py := h.apply(mx, my)
		anchors = append(anchors, pair{t[0], t[1], px, py})
		if len(anchors) >= 4 {
			if nh, ok := fit(anchors); ok {
				h = nh
			}
		}
	}
	return h, true
}

// alignmentCentres lists the alignment pattern centres of a dim-module
// code in module space, with their distance from the nearest finder
// centre, nearest first.
func alignmentCentres(dim int) [][3]float64 {
	v, err := decoder.Version_GetProvisionalVersionForDimension(dim)
	if err != nil {
		return nil
	}
	cs := v.GetAlignmentPatternCenters()
	last := len(cs) - 1
	var out [][3]float64
	for i, y := range cs {
		for j, x := range cs {
			if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
				continue // under a finder pattern
			}
			mx, my := float64(x)+0.5, float64(y)+0.5
			f := float64(dim) - 3.5
			dist := min(math.Hypot(mx-3.5, my-3.5), math.Hypot(mx-f, my-3.5), math.Hypot(mx-3.5, my-f))
			out = append(out, [3]float64{mx, my, dist})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i][2] < out[j][2] })
	return out
}

// bestMatch searches the alignment template around module point (mx, my)
// within r modules, coarsely then finely, and returns where the template
// fits best (module space of h) and its score.
func bestMatch(p *plane, h *homography, mx, my, r float64) (float64, float64, float64) {
	bx, by, best := mx, my, math.Inf(-1)
	search := func(cx, cy, r, step float64) {
		for dy := -r; dy <= r+1e-9; dy += step {
			for dx := -r; dx <= r+1e-9; dx += step {
				if s := templateScore(p, h, cx+dx, cy+dy, alignTemplate); s > best {
					bx, by, best = cx+dx, cy+dy, s
				}
			}
		}
	}
	search(mx, my, r, 0.5)
	search(bx, by, 0.5, 0.125)
	return bx, by, best
}

// A template is the ring of each module around a pattern centre: light
// (true) or dark, by Chebyshev distance.
type template []bool

var (
	// alignTemplate: dark centre, light ring, dark ring (5×5 modules).
	alignTemplate = template{false, true, false}
	// finderTemplate: dark 3×3 centre, light ring, dark ring (7×7).
	finderTemplate = template{false, false, true, false}
)

// templateScore is the mean grey of the light modules minus that of the
// dark ones, sampling module centres around (mx, my) through h; it is
// negative infinity if a sample falls off the plane.
func templateScore(p *plane, h *homography, mx, my float64, t template) float64 {
	var light, dark, nl, nd float64
	r := len(t) - 1
	for j := -r; j <= r; j++ {
		for i := -r; i <= r; i++ {
			x, y := h.apply(mx+float64(i), my+float64(j))
			g, ok := p.bilinear(x, y)
			if !ok {
				return math.Inf(-1)
			}
			if t[max(abs(i), abs(j))] {
				light, nl = light+g, nl+1
			} else {
				dark, nd = dark+g, nd+1
			}
		}
	}
	return light/nl - dark/nd
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
