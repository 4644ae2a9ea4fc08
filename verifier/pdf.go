//go:build !js || clapdf

package verifier

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/scan/pdfdoc"
)

// PDFSupport: this build reads PDFs. The browser's engine is built
// without the PDF reader (pdfcpu is a megabyte of the download) unless
// tagged clapdf; its PDFs go to a second module built with it.
const PDFSupport = true

// verifyPDF verifies a constancia PDF: the QR codes on its pages, checked
// against the signed record attached to it when there is one (its digest
// is in the QR code, so paper and file prove each other); or the record
// alone when no QR code can be read (a redrawn PDF may lose the code).
func (e *Engine) verifyPDF(ctx context.Context, name string, data []byte) []Result {
	found, contents, err := e.scanPDF(ctx, data)
	if err != nil {
		return []Result{noCode(name, ReasonUnreadable, err)}
	}
	var records [][]byte
	for _, a := range contents.Attachments {
		if _, err := cose.DecodeDocument(a.Data, credential.RecordContentType); err == nil {
			records = append(records, a.Data)
		}
	}
	var reads []read
	var scanErr error
	for _, f := range found {
		if f.err != nil {
			scanErr = f.err
		}
		for _, t := range f.texts {
			if !slices.ContainsFunc(reads, func(r read) bool { return r.text == t }) {
				reads = append(reads, read{text: t, page: f.page})
			}
		}
	}
	if len(reads) == 0 && len(records) > 0 {
		r, _ := e.verifyRecord(records[0])
		r.Source = name
		r.Warnings = append(r.Warnings, WarnRecordOnly)
		return []Result{r}
	}
	items := e.verifyTexts(name, reads, scanErr)
	for i := range items {
		e.attachRecord(&items[i], records)
	}
	return results(items)
}

type scanned struct {
	page  int
	texts []string
	err   error
}

// scanPDF reads the PDF and scans its images on all cores (a scanned
// 10-page PDF is ten full-page pictures), in page order. Images are
// decoded one at a time as a core frees up, and dropped once scanned, so
// at most GOMAXPROCS+1 decoded pages are held at once, not the whole file.
func (e *Engine) scanPDF(ctx context.Context, data []byte) ([]scanned, *pdfdoc.Contents, error) {
	var (
		out []*scanned
		wg  sync.WaitGroup
		sem = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	contents, err := pdfdoc.Each(ctx, data, func(im pdfdoc.PageImage) error {
		s := &scanned{page: im.Page}
		out = append(out, s)
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s.texts, s.err = e.scan(ctx, im.Image)
		})
		return nil
	})
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	res := make([]scanned, len(out))
	for i, s := range out {
		res[i] = *s
	}
	return res, contents, nil
}
