package scan

import (
	"errors"

	"github.com/makiuchi-d/gozxing"
)

// source is a gozxing LuminanceSource over a plane. GetMatrix hands out
// the plane itself: gozxing's own image source rebuilds it with At.
type source struct {
	gozxing.LuminanceSourceBase
	p *plane
}

func newSource(p *plane) *source {
	return &source{gozxing.LuminanceSourceBase{Width: p.w, Height: p.h}, p}
}

func (s *source) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.p.h {
		return nil, errors.New("row out of range")
	}
	if len(row) < s.p.w {
		row = make([]byte, s.p.w)
	}
	copy(row, s.p.pix[y*s.p.w:(y+1)*s.p.w])
	return row, nil
}

func (s *source) GetMatrix() []byte { return s.p.pix }

func (s *source) Invert() gozxing.LuminanceSource { return newSource(s.p.invert()) }

func (s *source) String() string { return gozxing.LuminanceSourceString(s) }
