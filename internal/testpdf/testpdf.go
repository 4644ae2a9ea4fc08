// Package testpdf makes PDFs for verifier tests: pages with a QR code
// drawn as an image (as the issuer prints it), an attached file, a page
// that is one scanned image. It uses fpdf, the issuer's layout library.
package testpdf

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// Page is one page to make.
type Page struct {
	// QR, when set, is drawn QRWidthMM wide (default 40 mm) as a PNG with
	// 4 pixels a module.
	QR        string
	QRWidthMM float64
	// Scan, when set, fills the page: a scanned page is one image.
	Scan image.Image
	Text string
}

// Make returns a PDF of pages, with attachments (name → content).
func Make(pages []Page, attachments map[string][]byte) ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	for i, p := range pages {
		f.AddPage()
		f.SetFont("Helvetica", "", 12)
		if p.Text != "" {
			f.Text(20, 20, p.Text)
		}
		if p.Scan != nil {
			if err := addImage(f, fmt.Sprintf("scan%d", i), p.Scan, 0, 0, 210); err != nil {
				return nil, err
			}
		}
		if p.QR != "" {
			q, err := qrcode.New(p.QR, qrcode.High)
			if err != nil {
				return nil, err
			}
			w := p.QRWidthMM
			if w == 0 {
				w = 40
			}
			img := q.Image(4 * (len(q.Bitmap())))
			if err := addImage(f, fmt.Sprintf("qr%d", i), img, 150, 240, w); err != nil {
				return nil, err
			}
		}
	}
	var as []fpdf.Attachment
	for name, data := range attachments {
		as = append(as, fpdf.Attachment{Content: data, Filename: name, Description: "test attachment"})
	}
	f.SetAttachments(as)
	var out bytes.Buffer
	err := f.Output(&out)
	return out.Bytes(), err
}

func addImage(f *fpdf.Fpdf, name string, img image.Image, x, y, w float64) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	f.ImageOptions(name, x, y, w, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return f.Error()
}
