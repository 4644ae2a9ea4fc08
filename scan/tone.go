package scan

// stretch maps the 1st..99th percentile of p onto 0..255, or returns nil
// when p already spans most of the range. HybridBinarizer treats an 8×8
// block whose values span less than 24 levels as blank, so a low-contrast
// print (white 180, black 110) loses whole blocks of modules.
func (p *plane) stretch() *plane {
	var hist [256]int
	for _, v := range p.pix {
		hist[v]++
	}
	lo, hi := percentile(&hist, len(p.pix)/100), 255-percentile(reversed(&hist), len(p.pix)/100)
	if hi-lo >= stretchSpan || hi <= lo {
		return nil
	}
	var lut [256]uint8
	for i := range lut {
		v := (i - lo) * 255 / (hi - lo)
		lut[i] = uint8(min(max(v, 0), 255))
	}
	q := newPlane(p.w, p.h)
	for i, v := range p.pix {
		q.pix[i] = lut[v]
	}
	return q
}

// stretchSpan: pictures whose 1–99 % range is this wide or wider are not
// stretched (a webcam frame of paper spans ~150–200 levels).
const stretchSpan = 140

// percentile returns the first level at which the cumulative count of
// hist exceeds n.
func percentile(hist *[256]int, n int) int {
	sum := 0
	for i, c := range hist {
		sum += c
		if sum > n {
			return i
		}
	}
	return 255
}

func reversed(hist *[256]int) *[256]int {
	var r [256]int
	for i, c := range hist {
		r[255-i] = c
	}
	return &r
}
