package scan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Completing pairs. On codes of 2–3 px a module gozxing often finds two
// finder patterns and misses the third, even upscaled (measured: 3 of 11
// small codes). Two finder centres fix the square up to six places for
// the third: beside either end of a side, on either side, or across a
// diagonal. completions looks for the finder template at each and returns
// the triples it finds.

// Bounds of pair completion.
const (
	// maxPairCentres: the best-confirmed candidates paired (6 pairs, 36
	// places, ~1.5 ms a plane).
	maxPairCentres = 4
	// pairModuleRatio: both ends of a side agree on the module size.
	pairModuleRatio = 1.3
	// completeSearch (modules) around each place.
	completeSearch = 2.0
	// completeScore: the third must show this fraction of the template
	// contrast the first shows.
	completeScore = 0.6
)

// completions returns finder triples made of two candidates of cs that no
// decoded code used and a third found by its template.
func completions(p *plane, cs []*detector.FinderPattern, used map[*detector.FinderPattern]bool) []*detector.FinderPatternInfo {
	var free []*detector.FinderPattern
	for _, c := range cs {
		if !used[c] {
			free = append(free, c)
		}
	}
	sort.SliceStable(free, func(i, j int) bool { return free[i].GetCount() > free[j].GetCount() })
	free = free[:min(len(free), maxPairCentres)]
	var out []*detector.FinderPatternInfo
	for i := range free {
		for j := i + 1; j < len(free); j++ {
			out = append(out, complete(p, free[i], free[j])...)
		}
	}
	return out
}

// complete returns the triples whose third finder is found beside a and b.
func complete(p *plane, a, b *detector.FinderPattern) []*detector.FinderPatternInfo {
	ma, mb := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize()
	if min(ma, mb) <= 0 || max(ma, mb) > pairModuleRatio*min(ma, mb) {
		return nil
	}
	ms := (ma + mb) / 2
	dx, dy := b.GetX()-a.GetX(), b.GetY()-a.GetY()
	if n := math.Hypot(dx, dy) / ms; n < 14 || n > 240 {
		return nil
	}
	ref := finderAt(p, a.GetX(), a.GetY(), dx, dy, ms, false)
	if ref <= 0 {
		return nil
	}
	ax, ay, bx, by := a.GetX(), a.GetY(), b.GetX(), b.GetY()
	places := []struct {
		x, y     float64
		diagonal bool
	}{
		{ax - dy, ay + dx, false}, {ax + dy, ay - dx, false}, // beside a
		{bx - dy, by + dx, false}, {bx + dy, by - dx, false}, // beside b
		{(ax+bx)/2 - dy/2, (ay+by)/2 + dx/2, true}, {(ax+bx)/2 + dy/2, (ay+by)/2 - dx/2, true},
	}
	var out []*detector.FinderPatternInfo
	for _, pl := range places {
		x, y, s := findFinder(p, pl.x, pl.y, dx, dy, ms, pl.diagonal)
		if s < completeScore*ref {
			continue
		}
		c := detector.NewFinderPattern(x, y, ms, 1)
		o1, o2, o3 := gozxing.ResultPoint_OrderBestPatterns(a, b, c)
		out = append(out, detector.NewFinderPatternInfo(
			o1.(*detector.FinderPattern), o2.(*detector.FinderPattern), o3.(*detector.FinderPattern)))
	}
	return out
}

// frame is the affine map of module offsets around (x, y) to pixels, axes
// along (dx, dy) and its normal, or turned 45° for a diagonal.
func frame(x, y, dx, dy, ms float64, diagonal bool) homography {
	ux, uy := unit(dx, dy)
	if diagonal {
		ux, uy = (ux-uy)/math.Sqrt2, (ux+uy)/math.Sqrt2
	}
	return homography{ux * ms, -uy * ms, x, uy * ms, ux * ms, y, 0, 0, 1}
}

// finderAt is the finder template score at (x, y) exactly.
func finderAt(p *plane, x, y, dx, dy, ms float64, diagonal bool) float64 {
	h := frame(x, y, dx, dy, ms, diagonal)
	return templateScore(p, &h, 0, 0, finderTemplate)
}

// findFinder searches the finder template around (x, y) and returns where
// it fits best and its score.
func findFinder(p *plane, x, y, dx, dy, ms float64, diagonal bool) (float64, float64, float64) {
	h := frame(x, y, dx, dy, ms, diagonal)
	mx, my, s := bestMatch(p, &h, 0, 0, completeSearch, finderTemplate)
	px, py := h.apply(mx, my)
	return px, py, s
}
