package scan

// view is a plane derived from the base plane (shrunk, upscaled, inverted,
// cropped …) and how its pixels map back: base = off + view × scale.
type view struct {
	p     *plane
	scale float64
	off   [2]float64
}

func (v *view) toBase(pt [2]float64) [2]float64 {
	// Pixel centres: view pixel x covers base [off+x·s, off+(x+1)·s).
	return [2]float64{v.off[0] + (pt[0]+0.5)*v.scale - 0.5, v.off[1] + (pt[1]+0.5)*v.scale - 0.5}
}
