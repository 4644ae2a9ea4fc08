package pdf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestRender prints realistic records and reads them back with programs
// we did not write: the QR code with zbarimg from pdftoppm's pages, the
// attachment with pdfcpu, the text with pdftotext.
func TestRender(t *testing.T) {
	needTools(t, "pdftoppm", "pdftotext", "zbarimg")
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			d := sealed(t, fx.record)
			pdf, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, pdf)
			pngs := pages(t, path, 150)
			if len(pngs) < fx.minPages {
				t.Errorf("%d pages, want ≥ %d", len(pngs), fx.minPages)
			}
			checkQR(t, d, pngs)
			checkAttachment(t, d, pdf)
			if lost := textLost(d, pdfText(t, path), len(pngs)); len(lost) > 0 {
				t.Errorf("pdftotext misses %q", lost)
			}
			if out := wordsOutside(t, path); len(out) > 0 {
				t.Errorf("text outside the margins: %q", out)
			}
		})
	}
}

// checkQR wants exactly one QR code, on page 1, holding the text: a
// one-page print or scan of any constancia must verify (a 2-page one had
// its QR code alone on page 2).
func checkQR(t *testing.T, d *Document, pngs []string) {
	t.Helper()
	for i, png := range pngs {
		codes := qrCodes(t, png)
		first := i == 0
		switch {
		case !first && len(codes) > 0:
			t.Errorf("page %d: %d QR codes, want none after page 1", i+1, len(codes))
		case first && len(codes) != 1:
			t.Errorf("page 1: %d QR codes, want 1 (%d pages)", len(codes), len(pngs))
		case first && codes[0] != d.QRText:
			t.Errorf("QR code reads %q, want %q", codes[0], d.QRText)
		}
	}
}

// checkAttachment wants the record file, byte for byte, under its name.
func checkAttachment(t *testing.T, d *Document, pdf []byte) {
	t.Helper()
	atts := attachmentsOf(t, pdf)
	got, ok := atts[AttachmentName(d.Record.Code)]
	if len(atts) != 1 || !ok {
		t.Fatalf("attachments %v, want only %s", keys(atts), AttachmentName(d.Record.Code))
	}
	if !bytes.Equal(got, d.RecordFile) {
		t.Errorf("attachment differs from the record file (%d bytes, want %d)", len(got), len(d.RecordFile))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// wordsOutside returns the words pdftotext places beyond the margins,
// with 0.5 mm of slack for rounding.
func wordsOutside(t testing.TB, path string) []string {
	t.Helper()
	var doc struct {
		Pages []struct {
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
			Words  []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	const pt = 72 / 25.4
	lo, slack := marginX*pt, 0.5*pt
	var outside []string
	for i, p := range doc.Pages {
		for _, w := range p.Words {
			if w.XMin < lo-slack || w.XMax > p.Width-lo+slack || w.YMin < 0 || w.YMax > p.Height-4*pt {
				outside = append(outside, "p"+strconv.Itoa(i+1)+": "+w.Text)
			}
		}
	}
	return outside
}

// TestDeterministic: the same document gives the same bytes (tests and
// caches compare them), and pdfcpu validates it.
func TestDeterministic(t *testing.T) {
	d := sealed(t, sample13())
	a, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders of one document differ")
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(a), conf); err != nil {
		t.Errorf("pdfcpu: %v", err)
	}
}

// TestConcurrent: documents render in parallel from the shared fonts (the
// issuer serves requests concurrently); run with -race.
func TestConcurrent(t *testing.T) {
	docs := []*Document{sealed(t, sample13()), sealed(t, oddUnicode())}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		var err error
		if want[i], err = Render(d); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			d := docs[g%len(docs)]
			got, err := Render(d)
			if err != nil || !bytes.Equal(got, want[g%len(docs)]) {
				t.Errorf("goroutine %d: %v, or different bytes", g, err)
			}
		})
	}
	wg.Wait()
}

func TestRenderRejects(t *testing.T) {
	good := sealed(t, sample13())
	bad := *good.Record
	bad.Code = "NOT-A-CODE"
	tests := []struct {
		name string
		d    *Document
	}{
		{"nil", nil},
		{"no record", &Document{QRText: good.QRText, RecordFile: good.RecordFile}},
		{"no QR text", &Document{Record: good.Record, RecordFile: good.RecordFile}},
		{"no record file", &Document{Record: good.Record, QRText: good.QRText}},
		{"invalid record", &Document{Record: &bad, QRText: good.QRText, RecordFile: good.RecordFile}},
		{"QR text too long", &Document{Record: good.Record, QRText: string(make([]byte, 8000)), RecordFile: good.RecordFile}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Render(tc.d); err == nil || errors.Is(err, ErrOverflow) {
				t.Errorf("Render: %v, want a refusal", err)
			}
		})
	}
}

// TestFaces: Spanish text takes the Windows-1252 faces; a name outside
// them takes the TrueType ones, for the whole document.
func TestFaces(t *testing.T) {
	polish := sample13()
	polish.Student.GivenNames = "ŁUKASZ"
	tests := []struct {
		name    string
		d       *Document
		unicode bool
	}{
		{"Spanish", sealed(t, sample13()), false},
		{"Polish name", sealed(t, polish), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := Render(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			type0 := bytes.Contains(pdf, []byte("/Subtype /Type0"))
			trueType := bytes.Contains(pdf, []byte("/Subtype /TrueType"))
			if type0 != tc.unicode || trueType == tc.unicode {
				t.Errorf("Type0 fonts %v, TrueType fonts %v; want Unicode faces %v", type0, trueType, tc.unicode)
			}
		})
	}
}
