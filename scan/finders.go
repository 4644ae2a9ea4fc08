package scan

import (
	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// maxSelect bounds the finder candidates handed to gozxing's multi-code
// selection, which tries every triple of them: O(n³), 12 s on a 40 MP
// picture of noise. Real pictures give 3–20 candidates a code.
const maxSelect = 40

// finders scans m for finder pattern candidates and returns the finder
// holding them, with gozxing's own triples when there are few enough.
// The scan is gozxing's (MultiFinderPatternFinder.FindMulti, Apache 2.0)
// without the selection; a picture within maxSelect is scanned again by
// FindMulti itself, ~1 ms for 720p, so that its triples and the
// candidates are the same objects.
func finders(m *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]interface{}) (*multidetector.MultiFinderPatternFinder, []*detector.FinderPatternInfo) {
	f := multidetector.NewMultiFinderPatternFinder(m, nil)
	scanRows(f, m, hints)
	if len(f.GetPossibleCenters()) > maxSelect {
		return f, nil
	}
	f = multidetector.NewMultiFinderPatternFinder(m, nil)
	infos, _ := f.FindMulti(hints)
	return f, infos
}

// scanRows runs the row scan of FindMulti: runs of dark and light pixels
// in the ratio 1:1:3:1:1, each checked across by HandlePossibleCenter.
func scanRows(f *multidetector.MultiFinderPatternFinder, m *gozxing.BitMatrix, hints map[gozxing.DecodeHintType]interface{}) {
	_, tryHarder := hints[gozxing.DecodeHintType_TRY_HARDER]
	maxI, maxJ := m.GetHeight(), m.GetWidth()
	iSkip := (3 * maxI) / (4 * detector.FinderPatternFinder_MAX_MODULES)
	if iSkip < detector.FinderPatternFinder_MIN_SKIP || tryHarder {
		iSkip = detector.FinderPatternFinder_MIN_SKIP
	}
	state := make([]int, 5)
	for i := iSkip - 1; i < maxI; i += iSkip {
		detector.FinderPatternFinder_doClearCounts(state)
		cur := 0
		for j := range maxJ {
			if m.Get(j, i) { // dark
				if cur&1 == 1 {
					cur++
				}
				state[cur]++
				continue
			}
			if cur&1 == 1 { // counting light
				state[cur]++
				continue
			}
			if cur != 4 {
				cur++
				state[cur]++
				continue
			}
			if detector.FinderPatternFinder_foundPatternCross(state) && f.HandlePossibleCenter(state, i, j) {
				cur = 0
				detector.FinderPatternFinder_doClearCounts(state)
			} else {
				detector.FinderPatternFinder_doShiftCounts2(state)
				cur = 3
			}
		}
		if detector.FinderPatternFinder_foundPatternCross(state) {
			f.HandlePossibleCenter(state, i, maxJ)
		}
	}
}
