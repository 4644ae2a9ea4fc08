package scan

// view is a plane derived from the base plane (shrunk, upscaled, inverted
// …) and the factor that maps its pixels back: base = view × scale.
type view struct {
	p     *plane
	scale float64
}

func (v *view) toBase(pt [2]float64) [2]float64 {
	// Pixel centres: view pixel x covers base [x·s, (x+1)·s).
	return [2]float64{(pt[0]+0.5)*v.scale - 0.5, (pt[1]+0.5)*v.scale - 0.5}
}
