//go:build js && !clapdf

package verifier

import (
	"context"
	"errors"
)

// PDFSupport: this build reads no PDF (see pdf.go).
const PDFSupport = false

// ErrNoPDFReader: a PDF was handed to a build without the PDF reader
// (the browser's cla.wasm; cla-pdf.wasm has it).
var ErrNoPDFReader = errors.New("verifier: this build reads no PDF (the PDF reader is the cla-pdf module)")

func (e *Engine) verifyPDF(_ context.Context, name string, _ []byte) []Result {
	return []Result{noCode(name, ReasonUnsupported, ErrNoPDFReader)}
}
