// Package qr is the project's one QR encoder: the constancia's code in the
// PDF, the staff's second-factor enrolment (console page and cla-issuer
// admin), the demo. (github.com/skip2/go-qrcode appears only in tests and
// test kits, as an independent encoder to read back and to compare with.)
//
// It encodes QR codes (ISO/IEC 18004) at error correction level Q:
// the smallest version that holds the text, in one segment of the densest
// mode that can hold it all (a CLA code is "CLA1:" and base45, all
// alphanumeric), or in alphanumeric and byte segments when that takes a
// smaller version (the link form: an uppercase URL, "#", base32), and the
// mask of least penalty. One segment is module for module ZXing's.
//
// It exists for speed: a constancia's version-15 code took 2.6 ms of CPU
// with gozxing's encoder and 3.3 ms with go-qrcode, half of rendering the
// whole PDF, mostly allocating while scoring the eight masks. Here a
// version's function patterns and data path are laid out once, and the
// masks are scored on a byte grid. The output is module for module the
// same as gozxing's (ZXing's) encoder, which the tests check; the version
// tables are gozxing's.
package qr

import (
	"errors"
	"fmt"
)

// ErrTooLong: the text does not fit in a version-40 code.
var ErrTooLong = errors.New("qr: text too long for a QR code")

// Code is a QR code symbol without its quiet zone.
type Code struct {
	Version int
	Mask    int
	Size    int    // modules a side: 17 + 4 × version
	Modules []byte // Size×Size, row by row: 1 dark, 0 light
}

// Dark reports whether the module in column x, row y is dark.
func (c *Code) Dark(x, y int) bool { return c.Modules[y*c.Size+x] == 1 }

// Encode returns the QR code of text at level Q.
func Encode(text string) (*Code, error) {
	segs := []segment{{text, chooseMode(text)}}
	v, err := chooseVersion(segs)
	if split := mixed(text); split != nil {
		if sv, serr := chooseVersion(split); serr == nil && (err != nil || sv < v) {
			segs, v, err = split, sv, nil
		}
	}
	if err != nil {
		return nil, err
	}
	lay := layoutFor(v)
	data := dataCodewords(segs, v, lay.dataBytes)
	final := interleave(data, lay)
	best := &Code{Version: v, Size: lay.size, Modules: make([]byte, len(lay.fixed))}
	grid, scratch := make([]byte, len(lay.fixed)), make([]byte, len(lay.fixed))
	bestScore := -1
	for mask := range 8 {
		lay.fill(grid, final, mask)
		if score := penalty(grid, scratch, lay.size); bestScore < 0 || score < bestScore {
			bestScore, best.Mask = score, mask
			copy(best.Modules, grid)
		}
	}
	return best, nil
}

// chooseVersion returns the smallest version whose data capacity holds
// the segments.
func chooseVersion(segs []segment) (int, error) {
	for v := 1; v <= 40; v++ {
		if b := bits(segs, v); b >= 0 && (b+7)/8 <= layoutFor(v).dataBytes {
			return v, nil
		}
	}
	n := 0
	for _, s := range segs {
		n += len(s.text)
	}
	return 0, fmt.Errorf("%w (%d characters)", ErrTooLong, n)
}
