package pdfdoc

import (
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// ErrTooLarge: a stream or image of the PDF would take more memory than
// any real constancia or scan needs (a "bomb"). It wraps ErrNotPDF.
var ErrTooLarge = fmt.Errorf("%w: a stream or image is over the size caps", ErrNotPDF)

// capStreams inflates every stream that is not an image, each under
// MaxStreamBytes and all under MaxStreamsTotal, before pdfcpu's validation
// and optimisation touch them: those call Decode with pdfcpu's 512 MiB
// default, whatever the configuration says. A stream decoded here keeps
// its content, so pdfcpu does not decode it again. Images are left for
// pageImages, which bounds each by what its own dimensions need.
func capStreams(xref *model.XRefTable) error {
	total := 0
	for _, e := range xref.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok || sd.Content != nil || isImage(sd) {
			continue
		}
		err := sd.DecodeWithLimit(MaxStreamBytes)
		if errors.Is(err, filter.ErrDecodeLimitExceeded) {
			return ErrTooLarge
		}
		if err != nil {
			continue // pdfcpu reports what it cannot decode, if it needs it
		}
		if total += len(sd.Content); total > MaxStreamsTotal {
			return ErrTooLarge
		}
		e.Object = sd
	}
	return nil
}

func isImage(sd types.StreamDict) bool {
	st := sd.Subtype()
	return st != nil && *st == "Image"
}

// imageBudget is the most bytes an image's streams may inflate to: its
// rows at up to 4 components of 16 bits, plus a predictor byte a row and
// some slack. Dimensions come from the dictionary and are capped by
// MaxImagePixels; the decoded result is checked against its own header
// later.
func imageBudget(sd *types.StreamDict) (int64, bool) {
	w, h := sd.IntEntry("Width"), sd.IntEntry("Height")
	if w == nil || h == nil || *w <= 0 || *h <= 0 || int64(*w)*int64(*h) > MaxImagePixels {
		return 0, false
	}
	return (int64(*w)*8+1)*int64(*h) + 64<<10, true
}
