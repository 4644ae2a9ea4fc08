package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
)

type scanFunc func(ctx context.Context, img image.Image) ([]string, error)

func (f scanFunc) Image(ctx context.Context, img image.Image) ([]string, error) { return f(ctx, img) }

func pdfEngine(t testing.TB, is *testissuer.Issuer) *verifier.Engine {
	t.Helper()
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Bolt{Path: filepath.Join(t.TempDir(), "trust.db")}, Scanner: scanFunc(scan.Image),
		Now: func() time.Time { return t0.Add(2 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(context.Background(), is.Bundle(), "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestPDF(t *testing.T) {
	t.Parallel()
	is := testissuer.New("pdf", t0)
	c, other := is.Issue(13), is.Issue(5)
	e := pdfEngine(t, is)
	ctx := context.Background()
	mk := func(pages []testpdf.Page, att map[string][]byte) []byte {
		b, err := testpdf.Make(pages, att)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		pdf      []byte
		status   credential.Status
		record   bool
		warnings []string
	}{
		{"code and its record", mk([]testpdf.Page{{QR: c.Text}}, map[string][]byte{"registro.cla": c.Record}),
			credential.Valid, true, nil},
		{"code only", mk([]testpdf.Page{{QR: c.Text}}, nil), credential.Valid, false, nil},
		{"record only", mk([]testpdf.Page{{Text: "sin QR"}}, map[string][]byte{"registro.cla": c.Record}),
			credential.Valid, true, []string{verifier.WarnRecordOnly}},
		{"someone else's record", mk([]testpdf.Page{{QR: c.Text}}, map[string][]byte{"registro.cla": other.Record}),
			credential.Valid, false, []string{verifier.WarnRecordMismatch}},
		{"code on page 3 of 3", mk([]testpdf.Page{{Text: "1"}, {Text: "2"}, {QR: c.Text}}, nil), credential.Valid, false, nil},
	}
	for _, tt := range tests {
		rs := e.VerifyBytes(ctx, tt.name+".pdf", tt.pdf)
		if len(rs) != 1 {
			t.Errorf("%s: %d results", tt.name, len(rs))
			continue
		}
		r := rs[0]
		if r.Status != tt.status || (r.Constancia != nil && r.Constancia.Record != nil) != tt.record {
			t.Errorf("%s: %s record=%v (%s %s %v)", tt.name, r.Status, r.Constancia != nil && r.Constancia.Record != nil, r.Reason, r.Detail, r.Warnings)
		}
		for _, w := range tt.warnings {
			if !contains(r.Warnings, w) {
				t.Errorf("%s: no warning %s in %v", tt.name, w, r.Warnings)
			}
		}
	}
	// Two different codes on one document: two results.
	rs := e.VerifyBytes(ctx, "two.pdf", mk([]testpdf.Page{{QR: c.Text}, {QR: other.Text}}, nil))
	if len(rs) != 2 || rs[0].Status != credential.Valid || rs[1].Status != credential.Valid {
		t.Fatalf("two codes: %+v", rs)
	}
	// No code at all, a broken PDF, an unsupported file.
	for name, data := range map[string][]byte{
		"empty.pdf":  mk([]testpdf.Page{{Text: "nada"}}, nil),
		"broken.pdf": []byte("%PDF-1.7\nthis is not a pdf"),
		"notes.doc":  []byte("just some words"),
	} {
		rs := e.VerifyBytes(ctx, name, data)
		if len(rs) != 1 || rs[0].Status != credential.Malformed || rs[0].Reason == "" {
			t.Errorf("%s: %+v", name, rs)
		}
	}
}

// TestScannedPDF: a constancia printed, scanned at 150 dpi and saved as a
// PDF with one image a page (rendered here with poppler's pdftoppm).
func TestScannedPDF(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed")
	}
	is := testissuer.New("scan", t0)
	c := is.Issue(13)
	e := pdfEngine(t, is)
	printed, err := testpdf.Make([]testpdf.Page{{QR: c.Text, QRWidthMM: 35}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.pdf"), printed, 0o644)
	if out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-png", filepath.Join(dir, "c.pdf"), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "page-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	scanned, err := testpdf.Make([]testpdf.Page{{Scan: img}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := e.VerifyBytes(context.Background(), "scanned.pdf", scanned)
	if len(rs) != 1 || rs[0].Status != credential.Valid {
		t.Fatalf("scanned PDF: %+v", rs)
	}
}

// BenchmarkTenPagePDF: the issue's goal is a 10-page PDF within 2 s. Two
// kinds: a born-digital PDF with the QR code on its last page, and a
// 10-page scan (one 150-dpi grey image a page, the code on the last).
func BenchmarkTenPagePDF(b *testing.B) {
	is := testissuer.New("bench pdf", t0)
	c := is.Issue(13)
	e := pdfEngine(b, is)
	digital := make([]testpdf.Page, 10)
	for i := range digital {
		digital[i].Text = "página"
	}
	digital[9].QR = c.Text
	digitalPDF, _ := testpdf.Make(digital, map[string][]byte{"registro.cla": c.Record})
	// A 150-dpi A4 page is 1240×1754 pixels.
	blank := image.NewGray(image.Rect(0, 0, 1240, 1754))
	for i := range blank.Pix {
		blank.Pix[i] = 235
	}
	scans := make([]testpdf.Page, 10)
	for i := range scans {
		scans[i].Scan = blank
	}
	scans[9].QR = c.Text
	scannedPDF, _ := testpdf.Make(scans, nil)
	for _, bc := range []struct {
		name string
		pdf  []byte
	}{{"digital", digitalPDF}, {"scanned", scannedPDF}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.pdf)))
			for b.Loop() {
				if rs := e.VerifyBytes(context.Background(), "x.pdf", bc.pdf); rs[0].Status != credential.Valid {
					b.Fatal(rs[0].Status, rs[0].Reason)
				}
			}
		})
	}
}
