package scan

import (
	"encoding/json"
	"os"
	"testing"
	"github.com/makiuchi-d/gozxing"
	qrcode "github.com/skip2/go-qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
)

func TestScratch(t *testing.T) {
	var man []struct{ Name string; Texts []string }
	b, _ := os.ReadFile("/tmp/set2/manifest.json")
	json.Unmarshal(b, &man)
	texts := map[string][]string{}
	for _, e := range man { texts[e.Name] = e.Texts }
	for _, f := range []string{"small-000.png", "small-003.jpg", "perspective-002.png", "perspective-007.jpg"} {
		data, _ := os.ReadFile("/tmp/set2/" + f)
		img, _ := decode(data)
		p := toPlane(img)
		if f[:3] == "inv" { p = p.invert() }
		q, _ := qrcode.New(texts[f][0], qrcode.High)
		bm := q.Bitmap()
		n := len(bm)-8
		truth := make([][]bool, n)
		for i := range n { truth[i] = bm[i+4][4:4+n] }
		for _, v := range []*plane{p, p.double()} {
			bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(v)))
			m, _ := bmp.GetBlackMatrix()
			finder := multidetector.NewMultiFinderPatternFinder(m, nil)
			finder.FindMulti(tryHarder)
			for _, tr := range triples(finder.GetPossibleCenters()) {
				bl, tl, trr := gozxing.ResultPoint_OrderBestPatterns(tr.fp[0], tr.fp[1], tr.fp[2])
				info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), trr.(*detector.FinderPattern))
				for _, gg := range grids(v, info) { dim := gg.dim
					hh := gg.h
					g := threshold(sharpen(sampleGrey(v, &hh, dim), dim, 1), dim)
					t.Logf("%s %d: dim %d truth %d grey errs %d", f, v.w, dim, n, errs(g, truth))
				}
			}
		}
	}
}

func errs(b *gozxing.BitMatrix, truth [][]bool) int {
	if b == nil || len(truth) != b.GetWidth() { return -1 }
	best := 1<<30
	n := len(truth)
	for o := 0; o < 8; o++ {
		e := 0
		for y := range n { for x := range n {
			xx, yy := x, y
			if o&1 == 1 { xx, yy = yy, xx }
			if o&2 == 2 { xx = n-1-xx }
			if o&4 == 4 { yy = n-1-yy }
			if b.Get(xx, yy) != truth[y][x] { e++ }
		}}
		best = min(best, e)
	}
	return best
}

func TestScratchQ(t *testing.T) {
	var man []struct{ Name string; Texts []string }
	b, _ := os.ReadFile("/tmp/set2/manifest.json")
	json.Unmarshal(b, &man)
	texts := map[string][]string{}
	for _, e := range man { texts[e.Name] = e.Texts }
	for _, f := range []string{"photo-003.jpg", "webcam-007.jpg", "blur-006.png"} {
		data, _ := os.ReadFile("/tmp/set2/" + f)
		img, _ := decode(data)
		p := toPlane(img)
		q, _ := qrcode.New(texts[f][0], qrcode.High)
		bm := q.Bitmap()
		n := len(bm)-8
		bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(p)))
		m, _ := bmp.GetBlackMatrix()
		finder := multidetector.NewMultiFinderPatternFinder(m, nil)
		finder.FindMulti(tryHarder)
		for _, tr := range triples(finder.GetPossibleCenters()) {
			bl, tl, trr := gozxing.ResultPoint_OrderBestPatterns(tr.fp[0], tr.fp[1], tr.fp[2])
			info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), trr.(*detector.FinderPattern))
			for _, gg := range grids(p, info) {
				if gg.dim != n { continue }
				g := threshold(sampleGrey(p, &gg.h, n), n)
				// orientation: assume identity or find best
				var quad [3][3]int
				for o := 0; o < 8; o++ {
					var qq [3][3]int
					e := 0
					for y := range n { for x := range n {
						xx, yy := x, y
						if o&1 == 1 { xx, yy = yy, xx }
						if o&2 == 2 { xx = n-1-xx }
						if o&4 == 4 { yy = n-1-yy }
						if g.Get(xx, yy) != bm[y+4][x+4] { e++; qq[yy*3/n][xx*3/n]++ }
					}}
					if e < 2000 { quad = qq; t.Logf("%s o=%d errs %d", f, o, e) }
				}
				t.Logf("%s %v", f, quad)
			}
		}
	}
}
