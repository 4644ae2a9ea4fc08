package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// estimateDim returns the code size (modules a side, 4k+1) nearest to what
// the finder centres and gozxing's module size estimate suggest. Blur
// widens dark runs, so the estimate runs low: by 8–12 modules on blurred
// and tilted codes.
func estimateDim(info *detector.FinderPatternInfo) int {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	span := (gozxing.ResultPoint_Distance(tl, tr) + gozxing.ResultPoint_Distance(tl, bl)) / 2
	return clampDim(4*int(math.Round((span/ms+7-17)/4)) + 17)
}

func clampDim(d int) int { return min(max(d, 21), 177) }

// Sizes tried around the estimate: 7–9 versions.
const dimLow, dimHigh = 0.7, 1.45

// candidateDims lists the sizes from est×dimLow to est×dimHigh.
func candidateDims(est int) []int {
	var ds []int
	for d := clampDim(int(float64(est) * dimLow)); d <= clampDim(int(float64(est)*dimHigh)); d++ {
		if d%4 == 1 {
			ds = append(ds, d)
		}
	}
	return ds
}

// timingScore is the weighted mean grey of the light timing modules minus
// that of the dark ones, over both timing patterns (modules 8 to dim−9 of
// row and column 6; even ones are dark). Modules weigh more the nearer
// they are to a finder pattern: an affine grid drifts most midway under
// perspective.
func timingScore(p *plane, h *homography, dim int) float64 {
	var sum, wsum float64
	span := float64(dim - 17)
	if span < 2 {
		return math.Inf(-1)
	}
	for i := 8; i <= dim-9; i++ {
		w := math.Abs(2*float64(i-8)/span - 1)
		sign := 1.0
		if i%2 == 0 {
			sign = -1
		}
		for _, pt := range [2][2]float64{{float64(i) + 0.5, 6.5}, {6.5, float64(i) + 0.5}} {
			x, y := h.apply(pt[0], pt[1])
			g, ok := p.bilinear(x, y)
			if !ok {
				return math.Inf(-1)
			}
			sum += sign * w * g
			wsum += w
		}
	}
	return 2 * sum / wsum
}
