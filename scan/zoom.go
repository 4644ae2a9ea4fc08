package scan

import "sort"

// Zooming in. A large photo is first searched shrunk (detectPixels), where
// a small code has 1–2 px a module; the full-resolution pass then finds
// its finder patterns but, at 2.5–3 px a module, not its modules
// (measured: 2 of 11 8 MP phone photos of a 35 mm code at 25 cm). zoomed
// crops the base around each finder candidate seen so far and doubles the
// crop: the upscale that helps small codes, at the cost of a window.

// Bounds of zooming.
const (
	// zoomModules: a crop reaches this many modules from a finder
	// centre each way, enough for the far corner of a version 17 code
	// (85 modules with its quiet zone) whichever finder it is.
	zoomModules = 90
	// maxZooms: windows a picture, most confirmed candidates first.
	maxZooms = 4
)

// centre is a finder candidate in base pixels.
type centre struct {
	x, y, module float64
	count        int
}

// note records the finder candidates of a view, in base pixels.
func (w *work) note(v *view, cs []centre) {
	for _, c := range cs {
		b := v.toBase([2]float64{c.x, c.y})
		w.centres = append(w.centres, centre{b[0], b[1], c.module * v.scale, c.count})
	}
}

// zoomed returns doubled crops of the base around finder candidates, for
// pictures that were shrunk for the first look.
func zoomed(w *work) []*view {
	if w.shrink == 1 {
		return nil // the doubled step saw the whole picture at 2×
	}
	cs := append([]centre(nil), w.centres...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].count > cs[j].count })
	var vs []*view
	var wins [][4]int
	for _, c := range cs {
		if len(vs) == maxZooms {
			break
		}
		if covered(wins, c) {
			continue
		}
		half := min(zoomModules*c.module, zoomHalf)
		x0, y0 := max(int(c.x-half), 0), max(int(c.y-half), 0)
		x1, y1 := min(int(c.x+half), w.base.w), min(int(c.y+half), w.base.h)
		if x1-x0 < minSide || y1-y0 < minSide {
			continue
		}
		wins = append(wins, [4]int{x0, y0, x1, y1})
		vs = append(vs, &view{p: w.base.crop(x0, y0, x1, y1).double(), scale: 0.5,
			off: [2]float64{float64(x0), float64(y0)}})
	}
	return vs
}

// zoomHalf caps a window's half side so its double stays within
// upscalePixels (2·2·866 = 3,464 px a side, 12 MP).
const zoomHalf = 866

func covered(wins [][4]int, c centre) bool {
	for _, r := range wins {
		if c.x >= float64(r[0]) && c.x < float64(r[2]) && c.y >= float64(r[1]) && c.y < float64(r[3]) {
			return true
		}
	}
	return false
}
