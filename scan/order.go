package scan

import "sort"

// inReadingOrder sorts codes top to bottom, and left to right within a
// row: two codes whose centres are less than half a code apart vertically
// share a row (a tilted photo of codes side by side).
func inReadingOrder(rs []result) []string {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i].q.centre(), rs[j].q.centre()
		if d := a[1] - b[1]; d*d > sq(max(rs[i].q.size(), rs[j].q.size())/2) {
			return d < 0
		}
		return a[0] < b[0]
	})
	texts := make([]string, len(rs))
	for i, r := range rs {
		texts[i] = r.text
	}
	return texts
}

func sq(x float64) float64 { return x * x }
