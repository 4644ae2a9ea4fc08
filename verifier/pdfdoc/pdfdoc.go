// Package pdfdoc reads what a verifier needs from a PDF: its embedded files
// (the signed full record the issuer attaches) and the images on its pages
// (the QR code, or whole scanned pages). It uses pdfcpu in relaxed mode,
// with caps, and turns any panic inside pdfcpu into an error: PDFs come
// from strangers.
package pdfdoc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for extracted images
	_ "image/png"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	_ "golang.org/x/image/tiff" // pdfcpu exports some images as TIFF
)

func init() {
	// Otherwise pdfcpu writes its configuration under ~/.config/pdfcpu.
	api.DisableConfigDir()
}

// ErrNotPDF: the bytes are not a PDF pdfcpu can read.
var ErrNotPDF = errors.New("pdfdoc: not a readable PDF")

// Attachment is one embedded file.
type Attachment struct {
	Name string
	Data []byte
}

// PageImage is one image drawn on a page.
type PageImage struct {
	Page  int
	Image image.Image
}

// Contents is what Read found.
type Contents struct {
	Pages       int
	Attachments []Attachment
	Images      []PageImage
	// Skipped counts images and files over the caps or undecodable.
	Skipped int
}

// IsPDF reports whether data starts like a PDF (after at most 1 KiB of
// junk, as readers tolerate).
func IsPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// Read extracts attachments and page images from a PDF.
func Read(ctx context.Context, data []byte) (c *Contents, err error) {
	if len(data) > MaxPDF {
		return nil, fmt.Errorf("%w: over %d MiB", ErrNotPDF, MaxPDF>>20)
	}
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%w: %v", ErrNotPDF, r)
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = model.EXTRACTIMAGES
	pctx, err := api.ReadValidateAndOptimize(bytes.NewReader(data), conf)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotPDF, err)
	}
	c = &Contents{Pages: pctx.PageCount}
	if c.Pages > MaxPages {
		return nil, fmt.Errorf("%w: %d pages, at most %d", ErrNotPDF, c.Pages, MaxPages)
	}
	c.Attachments, c.Skipped = attachments(pctx)
	for page := 1; page <= c.Pages; page++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		imgs, skipped := pageImages(pctx, page)
		c.Images = append(c.Images, imgs...)
		c.Skipped += skipped
	}
	return c, nil
}

func attachments(pctx *model.Context) (out []Attachment, skipped int) {
	list, err := pctx.ListAttachments()
	if err != nil || len(list) == 0 {
		return nil, 0
	}
	for _, a := range list[:min(len(list), MaxAttachments)] {
		full, err := pctx.ExtractAttachment(a)
		if err != nil || full == nil || full.Reader == nil {
			skipped++
			continue
		}
		data, err := io.ReadAll(io.LimitReader(full.Reader, MaxAttachment+1))
		if err != nil || len(data) > MaxAttachment {
			skipped++
			continue
		}
		out = append(out, Attachment{Name: a.FileName, Data: data})
	}
	return out, skipped + max(len(list)-MaxAttachments, 0)
}

func pageImages(pctx *model.Context, page int) (out []PageImage, skipped int) {
	imgs, err := pdfcpu.ExtractPageImages(pctx, page, false)
	if err != nil && len(imgs) == 0 {
		return nil, 1
	}
	for _, im := range imgs {
		if im.Reader == nil || im.IsImgMask || int64(im.Width)*int64(im.Height) > MaxImagePixels {
			skipped++
			continue
		}
		data, err := io.ReadAll(io.LimitReader(im.Reader, MaxImageBytes+1))
		if err != nil || len(data) > MaxImageBytes {
			skipped++
			continue
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
			skipped++
			continue
		}
		decoded, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			skipped++
			continue
		}
		out = append(out, PageImage{Page: page, Image: decoded})
	}
	return out, skipped
}
