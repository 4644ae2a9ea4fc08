// Package qrfile reads the QR texts of a file a person hands over: a PNG
// or JPEG photo, or a PDF (every image on its pages). cla-verify scan and
// the issuer's upload form share it.
package qrfile

import (
	"context"
	"errors"
	"slices"

	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/scan/pdfdoc"
)

// Texts returns the distinct QR texts in data, in reading order (page by
// page for a PDF). No code is an empty result, not an error.
func Texts(ctx context.Context, data []byte) ([]string, error) {
	if !pdfdoc.IsPDF(data) {
		texts, err := scan.Bytes(ctx, data)
		if errors.Is(err, scan.ErrNoCode) {
			return nil, nil
		}
		return texts, err
	}
	contents, err := pdfdoc.Read(ctx, data)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, im := range contents.Images {
		found, _ := scan.Image(ctx, im.Image)
		for _, t := range found {
			if !slices.Contains(texts, t) {
				texts = append(texts, t)
			}
		}
	}
	return texts, nil
}
