package scan

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
)

func TestScratch6(t *testing.T) {
	f := os.Getenv("F")
	data, _ := os.ReadFile("/tmp/set2/" + f)
	img, _ := decode(data)
	p := toPlane(img)
	bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(p)))
	m, _ := bmp.GetBlackMatrix()
	finder := multidetector.NewMultiFinderPatternFinder(m, nil)
	finder.FindMulti(tryHarder)
	tr := triples(finder.GetPossibleCenters())[0]
	bl, tl, trr := gozxing.ResultPoint_OrderBestPatterns(tr.fp[0], tr.fp[1], tr.fp[2])
	info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), trr.(*detector.FinderPattern))
	c0 := cornersOf(info)
	c := c0.refineLocally(p)
	t.Logf("corners %v -> %v", c0, c)
	out := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	for i, v := range p.pix { out.Pix[4*i], out.Pix[4*i+1], out.Pix[4*i+2], out.Pix[4*i+3] = v, v, v, 255 }
	dim := 73
	h, _ := refineGrid(p, c, dim)
	for y := 0; y < dim; y++ { for x := 0; x < dim; x++ {
		px, py := h.apply(float64(x)+0.5, float64(y)+0.5)
		out.Set(int(px), int(py), color.RGBA{255, 0, 0, 255})
	}}
	for _, q := range [][2]float64{c.tl, c.tr, c.bl} {
		for d := -3; d <= 3; d++ { out.Set(int(q[0])+d, int(q[1]), color.RGBA{0, 0, 255, 255}); out.Set(int(q[0]), int(q[1])+d, color.RGBA{0, 0, 255, 255}) }
	}
	w, _ := os.Create("/tmp/grid.png"); png.Encode(w, out); w.Close()
}

func TestScratch7(t *testing.T) {
	f := os.Getenv("F")
	data, _ := os.ReadFile("/tmp/set2/" + f)
	img, _ := decode(data)
	p := toPlane(img)
	bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(p)))
	m, _ := bmp.GetBlackMatrix()
	finder := multidetector.NewMultiFinderPatternFinder(m, nil)
	finder.FindMulti(tryHarder)
	tr := triples(finder.GetPossibleCenters())[0]
	bl, tl, trr := gozxing.ResultPoint_OrderBestPatterns(tr.fp[0], tr.fp[1], tr.fp[2])
	info := detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), trr.(*detector.FinderPattern))
	c := cornersOf(info).refineLocally(p)
	dim := 73
	h, _ := c.affine(dim)
	contrast := templateScore(p, &h, 3.5, 3.5, finderTemplate)
	t.Logf("contrast %.1f", contrast)
	for _, a := range alignmentCentres(dim) {
		r := alignSearch + alignSlope*a[2]
		mx, my, s := bestMatch(p, &h, a[0], a[1], r, alignTemplate)
		px, py := h.apply(mx, my)
		t.Logf("align %v r %.1f -> (%.1f,%.1f) score %.1f px %.0f,%.0f", a, r, mx-a[0], my-a[1], s, px, py)
	}
}
