package scan

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// dimensions returns the code sizes (modules a side, 4k+1) that the finder
// centres of info suggest: the nearest to the estimate, then one version
// down and one up.
func dimensions(info *detector.FinderPatternInfo) []int {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	span := (gozxing.ResultPoint_Distance(tl, tr) + gozxing.ResultPoint_Distance(tl, bl)) / 2
	est := span/ms + 7
	dim := 4*int(math.Round((est-17)/4)) + 17
	var dims []int
	for _, d := range []int{dim, dim - 4, dim + 4} {
		if d >= 21 && d <= 177 {
			dims = append(dims, d)
		}
	}
	return dims
}
