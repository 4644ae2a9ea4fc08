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

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
	_ "golang.org/x/image/tiff" // pdfcpu exports some images as TIFF
)

func init() {
	// Otherwise pdfcpu writes its configuration under ~/.config/pdfcpu.
	// (What api.DisableConfigDir does; this package avoids pdfcpu's api
	// package, whose form support pulls in go-runewidth, and its init
	// cost every cla-verify process ~37 ms.)
	model.ConfigPath = "disable"
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

// Read extracts attachments and page images from a PDF. It holds every
// decoded image at once; Each hands them over one at a time.
func Read(ctx context.Context, data []byte) (*Contents, error) {
	var imgs []PageImage
	c, err := Each(ctx, data, func(im PageImage) error {
		imgs = append(imgs, im)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.Images = imgs
	return c, nil
}

// Each extracts the attachments of a PDF and calls fn with each page image
// in turn, decoded only when its turn comes, so that a caller that lets it
// go holds one decoded image at a time. An error from fn stops the
// reading and is returned. The Contents returned has no Images.
func Each(ctx context.Context, data []byte, fn func(PageImage) error) (c *Contents, err error) {
	if len(data) > MaxPDF {
		return nil, fmt.Errorf("%w: over %d MiB", ErrTooLarge, MaxPDF>>20)
	}
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("%w: %v", ErrNotPDF, r)
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = model.EXTRACTIMAGES
	conf.Limits.MaxDecodeBytes = MaxStreamBytes // object streams, while reading
	pctx, err := readValidateOptimize(bytes.NewReader(data), conf)
	if errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotPDF, err)
	}
	c = &Contents{Pages: pctx.PageCount}
	if c.Pages > MaxPages {
		return nil, fmt.Errorf("%w: %d pages, at most %d", ErrNotPDF, c.Pages, MaxPages)
	}
	c.Attachments, c.Skipped = attachments(pctx)
	for page := 1; page <= c.Pages; page++ {
		skipped, err := pageImages(ctx, pctx, page, fn)
		c.Skipped += skipped
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// readValidateOptimize is pdfcpu's api.ReadValidateAndOptimize without the
// api package: read, validate (relaxed), optimize.
func readValidateOptimize(rs io.ReadSeeker, conf *model.Configuration) (*model.Context, error) {
	ctx, err := pdfcpu.Read(rs, conf)
	if err != nil {
		return nil, err
	}
	if ctx.XRefTable == nil {
		return nil, errors.New("no cross-reference table")
	}
	if err := capStreams(ctx.XRefTable); err != nil {
		return nil, err
	}
	if err := validate.XRefTable(ctx); err != nil {
		return nil, err
	}
	if err := pdfcpu.OptimizeXRefTable(ctx); err != nil {
		return nil, err
	}
	return ctx, nil
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

// pageImages decodes the images of one page, one at a time, and hands
// each to fn.
func pageImages(ctx context.Context, pctx *model.Context, page int, fn func(PageImage) error) (skipped int, err error) {
	for _, objNr := range pdfcpu.ImageObjNrs(pctx, page) {
		if err := ctx.Err(); err != nil {
			return skipped, err
		}
		obj := pctx.Optimize.ImageObjects[objNr]
		if obj == nil || obj.ImageDict == nil {
			skipped++
			continue
		}
		img, ok := fastImage(pctx.XRefTable, obj.ImageDict)
		if !ok {
			var err error
			if img, err = slowImage(pctx, obj, page, objNr); err != nil {
				skipped++
				continue
			}
		}
		if err := fn(PageImage{Page: page, Image: img}); err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}

// slowImage renders an image the general way (pdfcpu re-encodes it as PNG
// or TIFF) and decodes that.
func slowImage(pctx *model.Context, obj *model.ImageObject, page, objNr int) (image.Image, error) {
	// Inflate under the budget the dictionary's dimensions allow, before
	// pdfcpu would with its 512 MiB default; drop the bytes afterwards.
	budget, ok := imageBudget(obj.ImageDict)
	if !ok {
		return nil, fmt.Errorf("image %d: no dimensions or over %d pixels", objNr, MaxImagePixels)
	}
	if err := obj.ImageDict.DecodeWithLimit(budget); err != nil {
		return nil, fmt.Errorf("image %d: %w", objNr, err)
	}
	defer func() { obj.ImageDict.Content = nil }()
	im, err := pdfcpu.ExtractImage(pctx, obj.ImageDict, false, obj.ResourceNames[page-1], objNr, false)
	if err != nil || im == nil || im.Reader == nil {
		return nil, fmt.Errorf("image %d: %v", objNr, err)
	}
	data, err := io.ReadAll(io.LimitReader(im.Reader, MaxImageBytes+1))
	if err != nil || len(data) > MaxImageBytes {
		return nil, fmt.Errorf("image %d too large", objNr)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("image %d: %v", objNr, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}
