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

// corners are the pixel centres of a code's three finder patterns, and
// the module size gozxing measured at each.
type corners struct {
	tl, tr, bl [2]float64
	ms         [3]float64
	flat       bool // guess no perspective (tuning.noFar)
}

func cornersOf(info *detector.FinderPatternInfo) corners {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	return corners{[2]float64{tl.GetX(), tl.GetY()}, [2]float64{tr.GetX(), tr.GetY()}, [2]float64{bl.GetX(), bl.GetY()},
		[3]float64{tl.GetEstimatedModuleSize(), tr.GetEstimatedModuleSize(), bl.GetEstimatedModuleSize()}, false}
}

// local returns an affine map from module offsets around a finder centre
// to pixels: axes along the code's edges, scaled by that finder's own
// module size (1.5× apart between corners under strong perspective, where
// one scale for the whole code misplaces the template).
func (c corners) local(at [2]float64, ms float64) homography {
	ux, uy := unit(c.tr[0]-c.tl[0], c.tr[1]-c.tl[1])
	vx, vy := unit(c.bl[0]-c.tl[0], c.bl[1]-c.tl[1])
	return homography{ux * ms, vx * ms, at[0], uy * ms, vy * ms, at[1], 0, 0, 1}
}

func unit(x, y float64) (float64, float64) {
	n := math.Hypot(x, y)
	if n == 0 {
		return 0, 0
	}
	return x / n, y / n
}

// refineLocally moves each finder centre to where the finder template fits
// best in its local frame, and keeps it where the fit is poor. It reports
// whether all three look like finder patterns there (templateFit ≥
// minFinderFit): the grey grid costs 2–50 ms a triple, and a noisy frame
// offers dozens of false triples.
func (c corners) refineLocally(p *plane) (corners, bool) {
	plausible := true
	for i, at := range []*[2]float64{&c.tl, &c.tr, &c.bl} {
		h := c.local(*at, c.ms[i])
		bx, by, s := bestMatch(p, &h, 0, 0, finderSearch, finderTemplate)
		if s > 0 {
			at[0], at[1] = h.apply(bx, by)
		}
		plausible = plausible && templateFit(p, &h, bx, by, finderTemplate) >= minFinderFit
	}
	return c, plausible
}

// anchors pairs the finder centres of a dim-module code with their pixels.
func (c corners) anchors(dim int) []pair {
	f := float64(dim) - 3.5
	return []pair{{3.5, 3.5, c.tl[0], c.tl[1]}, {f, 3.5, c.tr[0], c.tr[1]}, {3.5, f, c.bl[0], c.bl[1]}}
}

// affine returns the grid of a dim-module code from the finder centres
// alone and a guess of the far corner.
func (c corners) affine(dim int) (homography, bool) {
	return fit(append(c.anchors(dim), c.far(dim)))
}

// far guesses where the centre of a fourth finder pattern would be. A
// parallelogram's corner is wrong by 2–4 modules under strong perspective;
// the module sizes measured at the three finders tell the perspective: a
// homography's projective weight w scales lengths by about w^(−3/2), so
// w at the top-right and bottom-left finders follows from their module
// sizes relative to the top-left's, and w is linear across the code.
func (c corners) far(dim int) pair {
	f := float64(dim) - 3.5
	wtr, wbl := weight(c.ms[0], c.ms[1]), weight(c.ms[0], c.ms[2])
	if c.flat {
		wtr, wbl = 1, 1
	}
	w := wtr + wbl - 1
	return pair{f, f, (wtr*c.tr[0] + wbl*c.bl[0] - c.tl[0]) / w, (wtr*c.tr[1] + wbl*c.bl[1] - c.tl[1]) / w}
}

// weight is the projective weight at a finder of module size ms relative
// to one of module size ref, kept within [0.7, 1.4].
func weight(ref, ms float64) float64 {
	if ref <= 0 || ms <= 0 {
		return 1
	}
	return min(max(math.Pow(ref/ms, 2.0/3), 0.7), 1.4)
}

// grid is a candidate module grid: its size and module→pixel mapping.
type grid struct {
	dim   int
	h     homography
	score float64 // timing pattern contrast through h
}

// grids returns the likeliest grids of the code whose finder patterns are
// info, best first: finder centres moved to where their template fits, the
// size read from the timing patterns, the mapping refined on the alignment
// patterns.
func grids(p *plane, info *detector.FinderPatternInfo, perspective bool) []grid {
	c := cornersOf(info)
	c.flat = !perspective
	c, ok := c.refineLocally(p)
	if !ok {
		return nil
	}
	var out []grid
	for _, dim := range candidateDims(estimateDim(info)) {
		if h, ok := refineGrid(p, c, dim); ok {
			out = append(out, grid{dim, h, timingScore(p, &h, dim)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// refineGrid fits the grid of a dim-module code: alignment patterns
// through the affine grid and the grid so far, then the finder centres
// again through the refined grid, which now has the right scale and
// perspective near each of them.
func refineGrid(p *plane, c corners, dim int) (homography, bool) {
	h, ok := c.affine(dim)
	if !ok {
		return h, false
	}
	h, aligns, far := refineAlignment(p, c, h, dim)
	c = refineFinders(p, c, &h, dim)
	anchors := append(c.anchors(dim), aligns...)
	if !far {
		anchors = append(anchors, c.far(dim))
	}
	if nh, ok := fit(anchors); ok {
		h = nh
	}
	return h, true
}

// refineAlignment finds the alignment patterns of a dim-module code near
// where h puts them, nearest the finder patterns first, and refits h on
// the finder centres and every pattern found, which it returns, with
// whether one is in the far quarter. Until a pattern is found in
// the far quarter, the parallelogram guess of the far corner stays in the
// fit: patterns along the edges are nearly collinear with two finder
// centres, and a homography on them alone swings wildly.
func refineAlignment(p *plane, c corners, h homography, dim int) (homography, []pair, bool) {
	contrast := templateScore(p, &h, 3.5, 3.5, finderTemplate)
	if contrast <= 0 {
		return h, nil, false
	}
	anchors := c.anchors(dim)
	guess := c.far(dim)
	far := false
	for _, t := range alignmentCentres(dim) {
		r := alignSearch + alignSlope*t[2]
		mx, my, s := bestMatch(p, &h, t[0], t[1], r, alignTemplate)
		if s < alignMinScore*contrast {
			continue
		}
		px, py := h.apply(mx, my)
		anchors = append(anchors, pair{t[0], t[1], px, py})
		far = far || (t[0] > float64(dim)/2 && t[1] > float64(dim)/2)
		fitOn := anchors
		if !far {
			fitOn = append(anchors[:len(anchors):len(anchors)], guess)
		}
		if nh, ok := fit(fitOn); ok {
			h = nh
		}
	}
	return h, anchors[3:], far
}

// finderSearch is how far (modules) a finder centre is looked for around
// where gozxing put it: its estimate from a binarized row and column is
// off by 1–3 modules on blurred codes of 2–3 px a module.
const finderSearch = 2.5

// refineFinders moves each finder centre to where the finder template fits
// best through h (the affine grid of a dim-module code), and keeps it
// where the fit is poor.
func refineFinders(p *plane, c corners, h *homography, dim int) corners {
	f := float64(dim) - 3.5
	for _, pt := range []struct {
		at     *[2]float64
		mx, my float64
	}{{&c.tl, 3.5, 3.5}, {&c.tr, f, 3.5}, {&c.bl, 3.5, f}} {
		if bx, by, s := bestMatch(p, h, pt.mx, pt.my, finderSearch, finderTemplate); s > 0 {
			pt.at[0], pt.at[1] = h.apply(bx, by)
		}
	}
	return c
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

// bestMatch searches template t around module point (mx, my) within r
// modules, coarsely then finely, and returns where it fits best (module
// space of h) and its score.
func bestMatch(p *plane, h *homography, mx, my, r float64, t template) (float64, float64, float64) {
	bx, by, best := mx, my, math.Inf(-1)
	search := func(cx, cy, r, step float64) {
		for dy := -r; dy <= r+1e-9; dy += step {
			for dx := -r; dx <= r+1e-9; dx += step {
				if s := templateScore(p, h, cx+dx, cy+dy, t); s > best {
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
	// finderTemplate: dark 3×3 centre, light ring, dark ring, light
	// separator (9×9).
	finderTemplate = template{false, false, true, false, true}
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

// minFinderFit: the best of ~250 places in pure noise correlates with the
// finder template at ~0.3 (2.7 standard deviations of 81 samples); real
// finders mostly well above, but zoomed crops of tilted phone photos near
// it (0.35 lost 3 of 176 pictures). The gate halves the cost of noise; the
// budgets in detect.go bound it.
const minFinderFit = 0.3

// templateFit is the point-biserial correlation between template t and the
// grey levels of the module centres around (mx, my) through h: 1 for a
// perfect pattern, 0 for noise, whatever the contrast.
func templateFit(p *plane, h *homography, mx, my float64, t template) float64 {
	var sum, sum2, light, nl float64
	r := len(t) - 1
	n := 0.0
	for j := -r; j <= r; j++ {
		for i := -r; i <= r; i++ {
			x, y := h.apply(mx+float64(i), my+float64(j))
			g, ok := p.bilinear(x, y)
			if !ok {
				return 0
			}
			sum, sum2, n = sum+g, sum2+g*g, n+1
			if t[max(abs(i), abs(j))] {
				light, nl = light+g, nl+1
			}
		}
	}
	sd := math.Sqrt(max(sum2/n-(sum/n)*(sum/n), 0))
	if sd == 0 || nl == 0 || nl == n {
		return 0
	}
	q := nl / n
	dark := (sum - light) / (n - nl)
	return (light/nl - dark) / sd * math.Sqrt(q*(1-q))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
