package scan

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Finder-pattern triples. gozxing picks one triple of finder candidates
// (the single reader) or a few confirmed ones (the multi reader); on a page
// of text, in a collage, or under perspective the right triple is often
// not among them (measured: 2 of 11 scans, 2 of 11 pairs). triples ranks
// every plausible triple instead, for the decoder to try in turn.

// Bounds of triple ranking.
const (
	// maxCentres: candidates kept (most confirmed first); 24 give 2,024
	// triples, microseconds of arithmetic.
	maxCentres = 24
	// maxTriples tried a plane: each costs a grid sample and a
	// Reed–Solomon decode, ~0.1–0.3 ms.
	maxTriples = 12
	// maxModuleRatio: the three finder patterns of one code agree on the
	// module size within 1.6× even under strong perspective.
	maxModuleRatio = 1.6
	// maxDistortion of the right isosceles triangle, (|c−2b|+|c−2a|)/c over
	// squared sides a ≤ b ≤ c: 0 when exact, ~0.5 at a 30° tilt.
	maxDistortion = 0.7
)

// triple is three finder centres, ranked by how much they look like one
// code's.
type triple struct {
	fp    [3]*detector.FinderPattern
	score float64 // lower is better
}

// triples returns the plausible triples of cs, best first, at most
// maxTriples of them.
func triples(cs []*detector.FinderPattern) []triple {
	cs = append([]*detector.FinderPattern(nil), cs...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].GetCount() > cs[j].GetCount() })
	cs = cs[:min(len(cs), maxCentres)]
	var ts []triple
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			for k := j + 1; k < len(cs); k++ {
				if s, ok := rank(cs[i], cs[j], cs[k]); ok {
					ts = append(ts, triple{[3]*detector.FinderPattern{cs[i], cs[j], cs[k]}, s})
				}
			}
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].score < ts[j].score })
	return ts[:min(len(ts), maxTriples)]
}

// rank scores three centres as one code's, or rejects them.
func rank(a, b, c *detector.FinderPattern) (float64, bool) {
	lo := min(a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize())
	hi := max(a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize(), c.GetEstimatedModuleSize())
	if lo <= 0 || hi > maxModuleRatio*lo {
		return 0, false
	}
	s := []float64{dist2(a, b), dist2(b, c), dist2(a, c)}
	sort.Float64s(s)
	d := (math.Abs(s[2]-2*s[1]) + math.Abs(s[2]-2*s[0])) / s[2]
	if d > maxDistortion {
		return 0, false
	}
	// Modules between finder centres: 14 (version 1) to 170 (version 40).
	ms := (lo + hi) / 2
	if n := math.Sqrt(s[0]) / ms; n < 10 || n > 180 {
		return 0, false
	}
	conf := 0.0
	for _, p := range []*detector.FinderPattern{a, b, c} {
		if p.GetCount() < 2 {
			conf += 0.1 // seen on one row only
		}
	}
	return d + (hi/lo - 1) + conf, true
}

func dist2(a, b *detector.FinderPattern) float64 {
	dx, dy := a.GetX()-b.GetX(), a.GetY()-b.GetY()
	return dx*dx + dy*dy
}
