package scan

import (
	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// code is a decoded QR code: its text and its corners in the coordinates
// of the plane it was found in (finder centres: bottom-left, top-left,
// top-right).
type code struct {
	text string
	pts  [3][2]float64
}

// detect runs gozxing on p: HybridBinarizer (GlobalHistogram failed on
// every blurred picture), the multi-code reader, then the single reader,
// whose detector sometimes finds a code the multi detector misses.
// gozxing panics on some inputs (index errors in its detector); a panic is
// "nothing found".
func detect(p *plane) (found []code) {
	defer func() {
		if recover() != nil {
			found = nil
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(p)))
	if err != nil {
		return nil
	}
	rs, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, nil)
	if len(rs) == 0 {
		if r, err := qrcode.NewQRCodeReader().Decode(bmp, nil); err == nil {
			rs = append(rs, r)
		}
	}
	for _, r := range rs {
		if c, ok := toCode(r); ok {
			found = append(found, c)
		}
	}
	return found
}

func toCode(r *gozxing.Result) (code, bool) {
	pts := r.GetResultPoints()
	if r.GetText() == "" || len(pts) < 3 {
		return code{}, false
	}
	c := code{text: r.GetText()}
	for i := range 3 {
		c.pts[i] = [2]float64{pts[i].GetX(), pts[i].GetY()}
	}
	return c, true
}
