package scan

// plane is an 8-bit grey picture, row-major without padding: the layout
// gozxing's LuminanceSource.GetMatrix must return, so no copy is made
// there. 0 is black, 255 white.
type plane struct {
	pix  []byte
	w, h int
}

func newPlane(w, h int) *plane {
	return &plane{pix: make([]byte, w*h), w: w, h: h}
}

// invert returns the negative: gozxing ignores its "also inverted" hint,
// so light-on-dark codes need their own attempt.
func (p *plane) invert() *plane {
	q := newPlane(p.w, p.h)
	for i, v := range p.pix {
		q.pix[i] = 255 - v
	}
	return q
}
