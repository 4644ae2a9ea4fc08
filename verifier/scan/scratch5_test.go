package scan

import (
	"os"
	"testing"
	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
)

func TestScratch5(t *testing.T) {
	for _, f := range []string{"small-000.png", "small-003.jpg", "small-006.png", "perspective-002.png", "perspective-007.jpg"} {
		data, _ := os.ReadFile("/tmp/set2/" + f)
		img, _ := decode(data)
		p := toPlane(img)
		for _, v := range []*plane{p, p.double()} {
			bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(newSource(v)))
			m, _ := bmp.GetBlackMatrix()
			finder := multidetector.NewMultiFinderPatternFinder(m, nil)
			infos, _ := finder.FindMulti(tryHarder)
			t.Logf("%s %d: infos %d centres %d", f, v.w, len(infos), len(finder.GetPossibleCenters()))
			for _, c := range finder.GetPossibleCenters() {
				t.Logf("   %.1f,%.1f ms %.2f n %d", c.GetX(), c.GetY(), c.GetEstimatedModuleSize(), c.GetCount())
			}
		}
	}
}
