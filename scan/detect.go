package scan

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// code is a decoded QR code: its text and its finder centres (bottom-left,
// top-left, top-right) in the coordinates of the plane it was found in.
type code struct {
	text string
	pts  [3][2]float64
}

// detect finds the codes of p. It binarizes with HybridBinarizer
// (GlobalHistogram failed on every blurred picture), collects finder
// pattern candidates every third row (finders.go), then tries the triples
// gozxing picks, the ones triples ranks, and pairs completed by a third,
// each first the gozxing way (binary grid), then in grey (refine.go). gozxing
// panics on some inputs (index errors in its detector); a panic ends the
// search of this plane with what was found so far. more reports finder
// candidates left unexplained (seen on two rows or more, used by no code):
// enough for another code that a second pass, with these masked, may
// find. centres are all the finder candidates, for zooming in.
func detect(p *plane, tu tuning, budget *int) (found []code, more bool, centres []centre) {
	defer func() {
		if recover() != nil {
			found, more = found[:len(found):len(found)], false
		}
	}()
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(p)))
	if err != nil {
		return nil, false, nil
	}
	m, err := bmp.GetBlackMatrix()
	if err != nil {
		return nil, false, nil
	}
	d := &decoding{p: p, m: m, tu: tu, dec: decoder.NewDecoder(), used: map[*detector.FinderPattern]bool{},
		greyLeft: maxGreyTriples, budget: budget}
	hints := tryHarder
	if tu.noHarder {
		hints = nil
	}
	finder, infos := finders(m, hints)
	cs := finder.GetPossibleCenters()
	for _, c := range cs {
		centres = append(centres, centre{c.GetX(), c.GetY(), c.GetEstimatedModuleSize(), c.GetCount()})
	}
	found = d.tryAll(found, infos)
	if !tu.noTriples {
		found = d.tryTriples(found, cs)
	}
	if len(found) == 0 && !tu.noTriples && !tu.noPairs {
		found = d.tryAll(found, completions(p, cs, d.used))
	}
	return found, d.leftover(cs), centres
}

// tryAll tries each finder triple of infos in turn.
func (d *decoding) tryAll(found []code, infos []*detector.FinderPatternInfo) []code {
	for _, info := range infos {
		found = d.try(found, info)
	}
	return found
}

// tryTriples tries the plausible triples of cs, best first, that share no
// finder pattern with a decoded code.
func (d *decoding) tryTriples(found []code, cs []*detector.FinderPattern) []code {
	for _, t := range triples(cs) {
		if d.used[t.fp[0]] || d.used[t.fp[1]] || d.used[t.fp[2]] {
			continue
		}
		bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(t.fp[0], t.fp[1], t.fp[2])
		found = d.try(found, detector.NewFinderPatternInfo(
			bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)))
	}
	return found
}

// leftover reports whether three candidates or more, each seen on two
// rows or more, belong to no decoded code.
func (d *decoding) leftover(cs []*detector.FinderPattern) bool {
	n := 0
	for _, c := range cs {
		if !d.used[c] && c.GetCount() >= 2 {
			n++
		}
	}
	return n >= 3
}

// tryHarder makes the finder scan every third row instead of every
// height/130th: a 1240×1754 page scan skipped 13 rows, more than the 8 px
// centre of a 35 mm code's finder pattern at 150 dpi.
var tryHarder = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}

// decoding is the state of detect on one plane.
type decoding struct {
	p    *plane
	m    *gozxing.BitMatrix
	tu   tuning
	dec  *decoder.Decoder
	used map[*detector.FinderPattern]bool // finder patterns of decoded codes
	// greyLeft counts down the triples of this plane that may still get
	// grey grids; budget those of the whole search.
	greyLeft int
	budget   *int
}

// Bounds of the grey grids (2–50 ms a triple: ~9 sizes refined): a plane
// gets maxGreyTriples, a picture maxGreySearch over all its views. The
// worst case, uniform noise, then costs ~1.6 s for 720p, ~2.6 s for 12 MP
// (it was 16 s and 90 s unbounded); halving maxGreySearch costs 2 of 176
// phone photos, whose zoomed views come last.
const (
	maxGreyTriples = 8
	maxGreySearch  = 32
)

// try decodes the code whose finder patterns are info, if any, and appends
// it to found.
func (d *decoding) try(found []code, info *detector.FinderPatternInfo) []code {
	fps := []*detector.FinderPattern{info.GetBottomLeft(), info.GetTopLeft(), info.GetTopRight()}
	if d.used[fps[0]] || d.used[fps[1]] || d.used[fps[2]] {
		return found
	}
	text, ok := d.decode(info)
	if !ok {
		return found
	}
	c := code{text: text}
	for i, fp := range fps {
		d.used[fp] = true
		c.pts[i] = [2]float64{fp.GetX(), fp.GetY()}
	}
	return append(found, c)
}

// decode samples and decodes the grid of info: gozxing's detector and
// binary sampling first, then grey sampling through a refined grid at the
// size the finder centres suggest and its neighbours (the estimate is off
// by a version on small or tilted codes).
func (d *decoding) decode(info *detector.FinderPatternInfo) (string, bool) {
	if dr, err := detector.NewDetector(d.m).ProcessFinderPatternInfo(info); err == nil {
		if text, ok := d.text(dr.GetBits()); ok {
			return text, true
		}
	}
	if d.tu.noGrey || d.greyLeft == 0 || *d.budget <= 0 {
		return "", false
	}
	d.greyLeft--
	*d.budget--
	for _, g := range grids(d.p, info, !d.tu.noFar) {
		v := sampleGrey(d.p, &g.h, g.dim)
		if v == nil {
			continue
		}
		for _, a := range sharpenings {
			if d.tu.noSharpen && a != 0 {
				continue
			}
			if text, ok := d.text(threshold(sharpen(v, g.dim, a), g.dim)); ok {
				return text, true
			}
		}
	}
	return "", false
}

func (d *decoding) text(bits *gozxing.BitMatrix) (string, bool) {
	if bits == nil {
		return "", false
	}
	r, err := d.dec.Decode(bits, nil)
	if err != nil || r.GetText() == "" {
		return "", false
	}
	return r.GetText(), true
}
