package verifier

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // photos and webcam frames
	_ "image/png"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/minedu-cla/cla/crypto/credential"
)

// Caps on files, pdfdoc's (TestCapsMatchPDFReader): written out here so
// that builds without the PDF reader (pdf_stub.go) keep them.
const (
	// MaxFile caps any file handed to the engine: a scanned 10-page
	// application folder is ~20 MB (pdfdoc.MaxPDF).
	MaxFile = 64 << 20
	// maxImagePixels caps a photo: a 600-dpi A4 scan is 35 Mpx
	// (pdfdoc.MaxImagePixels).
	maxImagePixels = 40_000_000
)

// VerifyFile reads path and verifies every code in it.
func (e *Engine) VerifyFile(ctx context.Context, path string) []Result {
	st, err := os.Stat(path)
	if err == nil && st.Size() > MaxFile {
		err = fmt.Errorf("file over %d MiB", MaxFile>>20)
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return []Result{noCode(path, ReasonUnreadable, err)}
	}
	return e.VerifyBytes(ctx, path, data)
}

// VerifyBytes verifies every code in a file's contents: a PDF, a PNG or
// JPEG image, a signed record, or text holding QR texts (one a line).
// It always returns at least one Result.
func (e *Engine) VerifyBytes(ctx context.Context, name string, data []byte) []Result {
	var rs []Result
	switch {
	case IsPDF(data):
		rs = e.verifyPDF(ctx, name, data)
	case isImage(data):
		rs = e.verifyImageBytes(ctx, name, data)
	case len(data) > 0 && data[0] == 0xd2: // a COSE_Sign1: the record file on its own
		r, _ := e.verifyRecord(data)
		r.Warnings = append(r.Warnings, WarnRecordOnly)
		rs = []Result{r}
	case utf8.Valid(data) && (bytes.Contains(data, []byte(credential.Prefix)) || bytes.Contains(data, []byte(credential.LinkPath+"#"))):
		for line := range strings.Lines(string(data)) {
			if strings.Contains(line, credential.Prefix) || credential.IsLink(line) {
				rs = append(rs, e.VerifyText(line))
			}
		}
	default:
		rs = []Result{noCode(name, ReasonUnsupported, errNone)}
	}
	for i := range rs {
		if rs[i].Source == "" {
			rs[i].Source = name
		}
	}
	return rs
}

// IsPDF reports whether data starts like a PDF, as pdfdoc.IsPDF: after at
// most 1 KiB of junk, as readers tolerate.
func IsPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

func isImage(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff})
}

func (e *Engine) verifyImageBytes(ctx context.Context, name string, data []byte) []Result {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err == nil && int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		err = fmt.Errorf("image of %d×%d pixels is too large", cfg.Width, cfg.Height)
	}
	var img image.Image
	if err == nil {
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return []Result{noCode(name, ReasonUnreadable, err)}
	}
	texts, err := e.scan(ctx, img)
	var reads []read
	for _, t := range texts {
		reads = append(reads, read{text: t})
	}
	return results(e.verifyTexts(name, reads, err))
}

func (e *Engine) scan(ctx context.Context, img image.Image) ([]string, error) {
	if e.opts.Scanner == nil {
		return nil, fmt.Errorf("no QR scanner configured")
	}
	return e.opts.Scanner.Image(ctx, img)
}

// read is one QR text read from a source.
type read struct {
	text string
	page int // 0 outside PDFs
}

// item is a verified code and what it claimed.
type item struct {
	Result
	claims *credential.Claims
}

// verifyTexts verifies the CLA codes among texts read from one source.
func (e *Engine) verifyTexts(source string, texts []read, scanErr error) []item {
	var out []item
	others := 0
	for _, t := range texts {
		if !IsCode(t.text) {
			others++
			continue
		}
		r, c := e.open(t.text)
		r.Source, r.Page = source, t.page
		out = append(out, item{r, c})
	}
	switch {
	case len(out) == 0 && others > 0:
		return []item{{Result: noCode(source, ReasonNotCLA, fmt.Errorf("%d QR code(s) found, none a CLA code", others))}}
	case len(out) == 0:
		return []item{{Result: noCode(source, ReasonNoCode, scanErr)}}
	case len(out) > 1:
		for i := range out {
			out[i].Warnings = append(out[i].Warnings, WarnSeveralCodes)
			out[i].basis.several = true
		}
	}
	return out
}

// IsCode reports whether a QR text is a CLA code (valid or not), in
// either form ("CLA1:…" or a link to /V#…), as opposed to another QR code
// in view.
func IsCode(text string) bool { return credential.IsCode(text) }

func results(items []item) []Result {
	out := make([]Result, len(items))
	for i, it := range items {
		out[i] = it.Result
	}
	return out
}
