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

// verifyPDF verifies a constancia PDF: the QR codes on its pages, checked
// against the signed record attached to it when there is one (its digest
// is in the QR code, so paper and file prove each other); or the record
// alone when no QR code can be read (a redrawn PDF may lose the code).
func (e *Engine) verifyPDF(ctx context.Context, name string, data []byte) []Result {
	contents, err := pdfdoc.Read(ctx, data)
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
	for i, found := range e.scanAll(ctx, contents.Images) {
		if found.err != nil {
			scanErr = found.err
		}
		for _, t := range found.texts {
			if !slices.ContainsFunc(reads, func(r read) bool { return r.text == t }) {
				reads = append(reads, read{text: t, page: contents.Images[i].Page})
			}
		}
	}
	if len(reads) == 0 && len(records) > 0 {
		r, _ := e.verifyRecord(records[0])
		r.Source = name + " (attachment)"
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
	texts []string
	err   error
}

// scanAll scans the images on all cores (a scanned 10-page PDF is ten
// full-page pictures), keeping their order.
func (e *Engine) scanAll(ctx context.Context, imgs []pdfdoc.PageImage) []scanned {
	out := make([]scanned, len(imgs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, im := range imgs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].texts, out[i].err = e.scan(ctx, im.Image)
		})
	}
	wg.Wait()
	return out
}

// attachRecord pairs a code with the attached record it vouches for (by
// digest), and warns when the PDF carries a record that is not its own.
func (e *Engine) attachRecord(it *item, records [][]byte) {
	if it.claims == nil || len(records) == 0 {
		return
	}
	for _, doc := range records {
		if it.claims.Matches(doc) != nil {
			continue
		}
		// Key problems are the QR code's result already (same key).
		rec, _, _ := credential.OpenRecord(doc, e.lookup(e.state.Load()))
		switch {
		case rec == nil:
			it.Warnings = append(it.Warnings, WarnRecordNotSigned)
		case it.claims.Agrees(rec) != nil:
			// The same digest but another story: an issuer bug, never a
			// forgery (both are signed). Say so rather than pick one.
			it.Warnings = append(it.Warnings, WarnRecordMismatch)
		default:
			it.Constancia.Record = recordOf(rec)
		}
		return
	}
	it.Warnings = append(it.Warnings, WarnRecordMismatch)
}
