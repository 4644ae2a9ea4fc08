// Package qrfile reads the QR texts of a file a person hands over: a PNG
// or JPEG photo, or a PDF (every image on its pages). cla-verify scan and
// the issuer's upload form share it.
package qrfile

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/scan/pdfdoc"
)

// MaxConcurrent is how many files a process reads at once. A 35 Mpx page
// scan is ~35 MB as luminance and the QR search takes a few planes of it
// again; two at a time keep four worst-case uploads under 256 MB.
const MaxConcurrent = 2

// MaxWait is how long a file waits for its turn before ErrBusy.
const MaxWait = 4 * time.Second

// ErrBusy: MaxConcurrent files were being read for MaxWait; the caller
// may try again in a few seconds (the issuer answers 503 with Retry-After).
var ErrBusy = errors.New("qrfile: busy reading other files")

var (
	gate    = make(chan struct{}, MaxConcurrent)
	maxWait = MaxWait // tests shorten it
)

// Texts returns the distinct QR texts in data, in reading order (page by
// page for a PDF). No code is an empty result, not an error. At most
// MaxConcurrent calls read at once in a process; the others wait up to
// MaxWait and then return ErrBusy.
func Texts(ctx context.Context, data []byte) ([]string, error) {
	wait := time.NewTimer(maxWait)
	defer wait.Stop()
	select {
	case gate <- struct{}{}:
		defer func() { <-gate }()
	case <-wait.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return texts(ctx, data)
}

// bigImage is the size (pixels) past which an image's garbage is
// collected as soon as it is scanned.
const bigImage = 8_000_000

func texts(ctx context.Context, data []byte) ([]string, error) {
	if !pdfdoc.IsPDF(data) {
		texts, err := scan.Bytes(ctx, data)
		if errors.Is(err, scan.ErrNoCode) {
			return nil, nil
		}
		return texts, err
	}
	var texts []string
	c, err := pdfdoc.Each(ctx, data, func(im pdfdoc.PageImage) error {
		found, _ := scan.Image(ctx, im.Image)
		if b := im.Image.Bounds(); b.Dx()*b.Dy() > bigImage {
			// A full-page scan leaves ~100 MB of garbage (the decoded
			// pixels, the scanner's copies): collect it now rather than
			// when the next one is decoded beside it, so that the peak
			// stays within the budget (docs/TESTING.md, hostile files).
			runtime.GC()
		}
		for _, t := range found {
			if !slices.Contains(texts, t) {
				texts = append(texts, t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(texts) == 0 && c != nil && c.Skipped > 0 {
		// Nothing read, and something was left unread for its size or
		// damage (a JPEG whose own header says 20000×20000): say that,
		// not "no QR code".
		return nil, fmt.Errorf("%w: %d part(s) over the caps or undecodable, no QR code in the rest", pdfdoc.ErrTooLarge, c.Skipped)
	}
	return texts, nil
}
