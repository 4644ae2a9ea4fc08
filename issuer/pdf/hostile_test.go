package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
)

// Hostile records: everything credential validation lets through, at its
// limits. None may panic, lose text or leave the page.

// hostile returns records at the limits of docs/FORMAT.md.
func hostile() []fixture {
	return []fixture{
		{"long names", withStudent(credential.Student{DocType: credential.DNI, DocNumber: "07418529",
			GivenNames:    strings.Repeat("Ñ", credential.MaxName/2),
			FirstSurname:  strings.Repeat("W", credential.MaxName),
			SecondSurname: strings.TrimSpace(strings.Repeat("DE LA ", credential.MaxName/6))}), 2},
		{"40 areas of 300 bytes", manyAreas(), 10},
		{"40 years", manyYears(), 3},
		{"odd Unicode", oddUnicode(), 2},
		{"20 observations of 300 bytes a year", longObservations(), 4},
	}
}

func withStudent(st credential.Student) *credential.Record {
	return sample.Record(st, 14)
}

// field makes n bytes of words that differ by tag.
func field(tag string, n int) string {
	s := tag + " ÁREA CURRICULAR DE PRUEBA CON UN NOMBRE MUY LARGO QUE DEBE PARTIRSE EN VARIAS LÍNEAS"
	for len(s) < n {
		s += " " + tag
	}
	for len(s) > n || s[len(s)-1] == ' ' || s[len(s)-1]&0xC0 == 0xC0 {
		s = s[:len(s)-1]
	}
	return s
}

func manyAreas() *credential.Record {
	rec := sample.Record(sample.Student(), 13)
	for i := range rec.Years {
		y := &rec.Years[i]
		y.Areas, y.Transversal = nil, nil
		for a := range credential.MaxAreas {
			y.Areas = append(y.Areas, credential.Mark{Area: field(fmt.Sprintf("A%02d", a), credential.MaxField), Value: credential.NoMark})
			y.Transversal = append(y.Transversal, credential.Mark{Area: fmt.Sprintf("T%02d%s", a, strings.Repeat("W", 150)),
				Value: credential.Exonerated})
		}
	}
	return rec
}

func manyYears() *credential.Record {
	rec := sample.Record(sample.Student(), 13)
	last := rec.Years[len(rec.Years)-1]
	rec.Years = nil
	for i := range credential.MaxYears {
		y := last
		y.Year, y.Grade = credential.FirstYear+i, i%5+1
		rec.Years = append(rec.Years, y)
	}
	return rec
}

func oddUnicode() *credential.Record {
	rec := sample.Record(credential.Student{DocType: credential.StudentCode, DocNumber: "12345678901234",
		GivenNames: "JOSE\u0301 王小明 ΑΛΈΞΑΝΔΡΟΣ", FirstSurname: "ЛЮДМИЛА NGUYỄN", SecondSurname: "ŁUKASZ 😀 \uE000 \u0378"}, 14)
	rec.Years[0].Areas[0].Area = "ÁREA (con paréntesis) \\ barra % y 😀 ✓"
	rec.Years[8].Observations = []string{"2021 - R.D. N.° 1 - Texto con ( ) \\ y ¿? «»"}
	return rec
}

func longObservations() *credential.Record {
	rec := sample.Record(sample.Student(), 14)
	for i := range rec.Years {
		rec.Years[i].Observations = nil
		for n := range credential.MaxObservations {
			rec.Years[i].Observations = append(rec.Years[i].Observations, field(fmt.Sprintf("%d-%02d", rec.Years[i].Year, n), credential.MaxField))
		}
	}
	return rec
}

// TestHostile renders each hostile record and checks with pdftotext that
// every name, area and observation is there and inside the margins.
func TestHostile(t *testing.T) {
	needTools(t, "pdftotext")
	for _, fx := range hostile() {
		t.Run(fx.name, func(t *testing.T) {
			if err := fx.record.Validate(); err != nil {
				t.Fatalf("the fixture must pass validation: %v", err)
			}
			d := &Document{Record: fx.record, QRText: "CLA1:HOSTILE", RecordFile: []byte("record")}
			pdf, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, pdf)
			n := pageCount(pdf)
			if n < fx.minPages {
				t.Errorf("%d pages, want ≥ %d", n, fx.minPages)
			}
			if lost := textLost(d, pdfText(t, path), n); len(lost) > 0 {
				t.Errorf("pdftotext misses %d strings, first %q", len(lost), lost[0])
			}
			if out := wordsOutside(t, path); len(out) > 0 {
				t.Errorf("%d words outside the margins, first %q", len(out), out[0])
			}
		})
	}
}

// pageCount counts page objects.
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page\n"))
}

// FuzzRender: any record that passes validation renders, without a panic
// or text outside the page (ErrOverflow).
func FuzzRender(f *testing.F) {
	f.Add("MARÍA DE LOS ÁNGELES", "HUAMANÑAHUI", "COMUNICACIÓN", "2025 - R.D. N.° 0457-2025 - Permanece", uint8(13))
	f.Add(strings.Repeat("Ñ", 50), strings.Repeat("W", 100), field("X", 300), field("O", 300), uint8(40))
	f.Add("王小明 😀", "ŁUKASZ \u0378", "A\u0301 ( ) \\", "\uE000", uint8(1))
	f.Fuzz(func(t *testing.T, given, surname, area, observation string, years uint8) {
		rec := sample.Record(credential.Student{DocType: credential.DNI, DocNumber: "07418529",
			GivenNames: given, FirstSurname: surname}, 1+int(years)%14)
		rec.Years[0].Areas[0].Area = area
		rec.Years[len(rec.Years)-1].Observations = []string{observation}
		if rec.Validate() != nil {
			t.Skip()
		}
		pdf, err := Render(&Document{Record: rec, QRText: "CLA1:FUZZ", RecordFile: []byte{1}})
		if err != nil || errors.Is(err, ErrOverflow) || !bytes.HasPrefix(pdf, []byte("%PDF-1.7")) {
			t.Fatalf("Render: %v", err)
		}
	})
}
