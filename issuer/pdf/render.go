// Package pdf prints a constancia: an A4 PDF modelled on the Ministry's
// Constancia de Logros de Aprendizaje, with a table of calificativos per
// level, the signed QR code, and the signed full record attached as a file.
//
// It draws with go-pdf/fpdf (measured before choosing: 4.8 ms for a page
// with a QR code where pdfcpu's JSON model took 14.9 ms) and embedded
// DejaVu Sans Condensed. Output is deterministic: the same Document gives
// the same bytes.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
)

// DefaultVerifyURL is printed when a Document names no verification page.
const DefaultVerifyURL = "https://cla.minedu.gob.pe/verificar"

// AttachmentDescription describes the attached record to PDF readers.
const AttachmentDescription = "Registro completo firmado (COSE_Sign1)"

// Document is one constancia to print.
type Document struct {
	// Record is what the tables show: every year, area, mark and
	// observation. It must pass Record.Validate.
	Record *credential.Record
	// QRText is the signed QR text ("CLA1:…"), drawn as the QR code.
	QRText string
	// RecordFile is the signed full record, attached to the PDF as is.
	RecordFile []byte
	// IssuedAt is printed in Lima time; zero means Record.IssuedAt.
	IssuedAt time.Time
	// VerifyURL is the verification page printed under "how to verify";
	// empty means DefaultVerifyURL.
	VerifyURL string
}

// ErrOverflow reports a layout bug: some text would have been drawn
// outside its page. Render returns it rather than a clipped constancia.
var ErrOverflow = errors.New("pdf: text outside the page")

// AttachmentName names the attached record: "constancia-7K3M-9QXT-2HBN-M.cla".
func AttachmentName(code string) string {
	return "constancia-" + vcode.Format(code) + ".cla"
}

// Render prints d as a PDF.
func Render(d *Document) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	faces, err := loadFaces()
	if err != nil {
		return nil, err
	}
	qr, err := makeQR(d.QRText)
	if err != nil {
		return nil, err
	}
	unicode := false
	out, pages, fits, err := render(d, faces, qr, unicode, false)
	if err == nil && !fits {
		unicode = true
		out, pages, _, err = render(d, faces, qr, unicode, false)
	}
	if err == nil && pages > 1 {
		// A longer constancia keeps its QR code on page 1, under the
		// statement: a one-page print or scan must still verify.
		out, _, _, err = render(d, faces, qr, unicode, true)
	}
	return out, err
}

func (d *Document) check() error {
	switch {
	case d == nil || d.Record == nil:
		return errors.New("pdf: no record")
	case d.QRText == "":
		return errors.New("pdf: no QR text")
	case len(d.RecordFile) == 0:
		return errors.New("pdf: no record file")
	}
	if err := d.Record.Validate(); err != nil {
		return fmt.Errorf("pdf: record: %w", err)
	}
	return nil
}

func (d *Document) issuedAt() time.Time {
	if d.IssuedAt.IsZero() {
		return d.Record.IssuedAt
	}
	return d.IssuedAt
}

func (d *Document) verifyURL() string {
	if d.VerifyURL == "" {
		return DefaultVerifyURL
	}
	return d.VerifyURL
}

// render draws d with the Windows-1252 faces, or with unicode the
// TrueType ones. It reports false when the fast faces could not hold some
// character (the caller renders again with unicode).
// render draws the constancia: with qrFirst, the verification block (QR
// code and how to check) right under the statement on page 1, else after
// the notes on the last page. It returns the PDF and its page count, and
// fits false when a character did not fit Windows-1252 (try unicode).
func render(d *Document, faces []face, qr qrImage, unicode, qrFirst bool) ([]byte, int, bool, error) {
	f := fpdf.New("P", "mm", "A4", "")
	r := &renderer{f: f, d: d, unicode: unicode, code: vcode.Format(d.Record.Code)}
	addFaces(f, faces, unicode)
	r.setup()
	f.RegisterImageOptionsReader(qrName, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr.png))
	r.firstPage()
	if qrFirst {
		r.verification(qr)
		r.y += gapAfter
	}
	for _, t := range tables(d.Record) {
		r.table(t)
	}
	r.notes()
	if !qrFirst {
		r.verification(qr)
	}
	r.footers()
	if r.missed && !unicode {
		return nil, 0, false, nil
	}
	if r.err != nil {
		return nil, 0, true, r.err
	}
	pages := f.PageNo()
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, 0, true, fmt.Errorf("pdf: %w", err)
	}
	return pdf17(out.Bytes()), pages, true, nil
}

// pdf17 raises the header to PDF 1.7: fpdf writes 1.3 unless it uses a
// later feature it tracks, but /Lang is 1.4 and the attachment's /UF 1.7
// (pdfcpu's strict validation rejects them in 1.3). Same length, so the
// cross-reference offsets stay right.
func pdf17(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("%PDF-1.3")) {
		b[len("%PDF-1.")] = '7'
	}
	return b
}

// setup sets the document-wide properties: metadata, attachment, page
// handling. Dates are the issue time so that output is deterministic.
func (r *renderer) setup() {
	f, d := r.f, r.d
	at := d.issuedAt()
	f.SetCatalogSort(true)
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetTitle("Constancia de Logros de Aprendizaje "+r.code, true)
	f.SetSubject("Calificativos de Educación Básica Regular registrados en el SIAGIE", true)
	f.SetAuthor("Ministerio de Educación del Perú", true)
	f.SetCreator("CLA: github.com/minedu-cla/cla/issuer/pdf", true)
	f.SetProducer("go-pdf/fpdf", true)
	f.SetKeywords("constancia de logros de aprendizaje, CLA, código virtual "+r.code+", "+d.Record.Code, true)
	f.SetLang("es-PE")
	f.SetAttachments([]fpdf.Attachment{{Content: d.RecordFile, Filename: AttachmentName(d.Record.Code),
		Description: AttachmentDescription}})
	f.SetAutoPageBreak(false, 0) // pages break where the layout says (renderer.room)
	f.SetMargins(marginX, marginTop, marginX)
}
