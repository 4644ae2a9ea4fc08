package degrade

import (
	"math"
	"math/rand/v2"
)

// text is printed lines on a sheet, in module coordinates: line i covers
// v in [top+i·pitch, top+i·pitch+height) and holds words as [u0, u1)
// pairs. Lookup is by line, so a page full of words stays cheap.
type text struct {
	top, pitch, height float64
	lines              [][]float64
}

func (t *text) has(u, v float64) bool {
	if t == nil || t.pitch == 0 {
		return false
	}
	k := (v - t.top) / t.pitch
	i := int(math.Floor(k))
	if i < 0 || i >= len(t.lines) || v-t.top-float64(i)*t.pitch >= t.height {
		return false
	}
	ws := t.lines[i]
	for j := 0; j+1 < len(ws); j += 2 {
		if u >= ws[j] && u < ws[j+1] {
			return true
		}
	}
	return false
}

// newText fills the sheet [-margin, n+margin]² around a symbol of n
// modules with lines of words, leaving the symbol and a module around it
// blank. px is the module size in pixels: letters are 8–14 px tall.
func newText(r *rand.Rand, n, margin, px float64) *text {
	h := (8 + 6*r.Float64()) / px
	t := &text{top: -margin + h, pitch: h * (1.8 + 0.6*r.Float64()), height: h}
	for v := t.top; v+h < n+margin; v += t.pitch {
		var ws []float64
		for u := -margin + h; u < n+margin-h; {
			w := h * (1 + 5*r.Float64())
			if v+h > -1 && v < n+1 && u+w > -1 && u < n+1 {
				u = n + 1 + h // skip the symbol
				continue
			}
			ws = append(ws, u, min(u+w, n+margin-h))
			u += w + h*(0.6+0.4*r.Float64())
		}
		t.lines = append(t.lines, ws)
	}
	return t
}
