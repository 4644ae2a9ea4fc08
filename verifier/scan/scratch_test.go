package scan

import (
	"encoding/json"
	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	qrcode "github.com/skip2/go-qrcode"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	var man []struct {
		Name  string
		Texts []string
	}
	b, _ := os.ReadFile("/tmp/set2/manifest.json")
	json.Unmarshal(b, &man)
	texts := map[string][]string{}
	for _, e := range man {
		texts[e.Name] = e.Texts
	}
	for _, f := range []string{"webcam-004.jpg", "webcam-007.jpg", "webcam-010.jpg", "clean-000.png", "perspective-004.jpg", "blur-006.png"} {
		data, _ := os.ReadFile("/tmp/set2/" + f)
		img, _ := decode(data)
		p := toPlane(img)
		var truth [][]bool
		for _, tx := range texts[f] {
			q, _ := qrcode.New(tx, qrcode.High)
			bm := q.Bitmap()
			n := len(bm) - 8
			tb := make([][]bool, n)
			for i := range n {
				tb[i] = bm[i+4][4 : 4+n]
			}
			truth = tb
		}
		for _, v := range []*plane{p} {
			bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(v)))
			m, _ := bmp.GetBlackMatrix()
			finder := multidetector.NewMultiFinderPatternFinder(m, nil)
			finder.FindMulti(nil)
			for _, tr := range triples(finder.GetPossibleCenters()) {
				bl, tl, trr := gozxing.ResultPoint_OrderBestPatterns(tr.fp[0], tr.fp[1], tr.fp[2])
				info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), trr.(*detector.FinderPattern))
				dr, err := detector.NewDetector(m).ProcessFinderPatternInfo(info)
				if err != nil {
					t.Logf("%s err %v", f, err)
					continue
				}
				dim := dr.GetBits().GetWidth()
				var align gozxing.ResultPoint
				if pts := dr.GetPoints(); len(pts) > 3 {
					align = pts[3]
				}
				hh, _ := refine(p, info, dim)
				g := sampleGrey(p, &hh, dim)
				t.Logf("%s dim %d truth %d align %v: binary errs %d grey errs %d", f, dim, len(truth), align, errs(dr.GetBits(), truth), errs(g, truth))
			}
		}
	}
}

func errs(b *gozxing.BitMatrix, truth [][]bool) int {
	if b == nil || len(truth) != b.GetWidth() {
		return -1
	}
	best := 1 << 30
	n := len(truth)
	for o := 0; o < 8; o++ {
		e := 0
		for y := range n {
			for x := range n {
				xx, yy := x, y
				if o&1 == 1 {
					xx, yy = yy, xx
				}
				if o&2 == 2 {
					xx = n - 1 - xx
				}
				if o&4 == 4 {
					yy = n - 1 - yy
				}
				if b.Get(xx, yy) != truth[y][x] {
					e++
				}
			}
		}
		best = min(best, e)
	}
	return best
}
