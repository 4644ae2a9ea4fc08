package scan

import (
	"context"
	"math"
)

// step is one attempt of the pipeline: it derives views from the work
// plane (the base, shrunk if large), or none when it cannot help.
type step struct {
	name  string
	views func(w *work) []*view
}

// one adapts a step deriving at most one view.
func one(f func(w *work) *view) func(w *work) []*view {
	return func(w *work) []*view {
		if v := f(w); v != nil {
			return []*view{v}
		}
		return nil
	}
}

// work is the picture being searched: the base plane, which found codes
// are masked out of, its shrink factor for a first look, and the finder
// candidates seen so far.
type work struct {
	base    *plane
	shrink  int
	small   *plane   // base shrunk by shrink; nil until needed, reset on mask
	centres []centre // in base pixels
	grey    int      // grey-grid triples left (maxGreySearch)
}

func newWork(base *plane) *work {
	k := int(math.Ceil(math.Sqrt(float64(base.w*base.h) / detectPixels)))
	return &work{base: base, shrink: max(k, 1), grey: maxGreySearch}
}

// look returns the base as searched first: shrunk to ≤ detectPixels.
func (w *work) look() *view {
	if w.small == nil {
		w.small = w.base.shrink(w.shrink)
	}
	return &view{p: w.small, scale: float64(w.shrink)}
}

// steps run cheapest and likeliest first; the first that finds a code
// ends the search.
var steps = []step{
	{"direct", one(func(w *work) *view { return w.look() })},
	{"inverted", one(func(w *work) *view {
		v := w.look()
		return &view{p: v.p.invert(), scale: v.scale}
	})},
	{"stretched", one(func(w *work) *view {
		v := w.look()
		if s := v.p.stretch(); s != nil {
			return &view{p: s, scale: v.scale}
		}
		return nil
	})},
	{"full", one(func(w *work) *view {
		if w.shrink == 1 {
			return nil
		}
		return &view{p: w.base, scale: 1}
	})},
	{"doubled", one(func(w *work) *view {
		v := w.look()
		if 4*v.p.w*v.p.h > upscalePixels {
			return nil
		}
		return &view{p: v.p.double(), scale: v.scale / 2}
	})},
	{"halved", one(func(w *work) *view {
		v := w.look()
		if min(v.p.w, v.p.h) < 2*minSide {
			return nil
		}
		return &view{p: v.p.shrink(2), scale: v.scale * 2}
	})},
	{"zoomed", zoomed},
}

// minSide is the smallest plane worth searching: a version 13 code with
// its quiet zone at 1 px a module.
const minSide = 77

// result is a code found, in base coordinates.
type result struct {
	text string
	q    quad
}

// search runs the steps on base until one finds a code, then, while
// finder candidates are left unexplained, repeats that step with the found
// codes masked out, for the other codes of a collage.
func search(ctx context.Context, base *plane, tu tuning) ([]result, error) {
	w := newWork(base)
	var found []result
	seen := map[string]bool{}
	for _, st := range steps {
		if tu.skip[st.name] {
			continue
		}
		for len(found) < MaxCodes {
			if err := ctx.Err(); err != nil {
				return found, err
			}
			n, more := len(found), false
			for _, v := range st.views(w) {
				codes, left, centres := detect(v.p, tu, &w.grey)
				w.note(v, centres)
				more = more || left
				for _, c := range codes {
					q := outline(c, v)
					if left {
						mask(w.base, q)
						w.small = nil
					}
					if !seen[c.text] {
						seen[c.text] = true
						found = append(found, result{c.text, q})
					}
				}
			}
			if len(found) == n || !more || tu.noRerun {
				break
			}
		}
		if len(found) > 0 {
			return found, nil
		}
	}
	return found, nil
}
