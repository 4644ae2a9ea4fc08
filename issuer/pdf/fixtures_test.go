package pdf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/internal/sample"
)

// sealed signs rec with the sample issuer key and returns the document to
// print: the QR text and the record file that go with it.
func sealed(t testing.TB, rec *credential.Record) *Document {
	t.Helper()
	priv := sample.Key("issuer")
	file, err := credential.SealRecord(priv, rec)
	if err != nil {
		t.Fatal(err)
	}
	text, err := credential.Seal(priv, sample.Claims(rec, file))
	if err != nil {
		t.Fatal(err)
	}
	return &Document{Record: rec, QRText: text, RecordFile: file, VerifyURL: "https://cla.minedu.gob.pe/verificar"}
}

// sample13 is the realistic worst case: 13 years and long names.
func sample13() *credential.Record { return sample.Record(sample.Student(), 13) }

// fixture is a realistic record and the fewest pages it must take.
type fixture struct {
	name     string
	record   *credential.Record
	minPages int
}

func fixtures() []fixture {
	return []fixture{
		{"13 years", sample13(), 2},
		{"1 year of inicial", sample.Record(sample.ShortStudent(), 1), 1},
		{"carné de extranjería", ceRecord(), 1},
		{"EXO, no mark and observations", observed(), 2},
		{"long record", longRecord(), 3},
	}
}

// ceRecord: a foreign student with one surname, through primaria.
func ceRecord() *credential.Record {
	st := credential.Student{DocType: credential.CE, DocNumber: "001234567",
		GivenNames: "JOSÉ GREGORIO", FirstSurname: "PEÑALOZA"}
	rec := sample.Record(st, 8)
	rec.Years = rec.Years[2:] // primaria only
	return rec
}

// observed: EXO, a "-" and observations in several years, a repeated year.
func observed() *credential.Record {
	rec := sample.Record(sample.Student(), 14)
	rec.Years[3].Observations = []string{"2016 - R.D. N.° 0123-2016 - Rectificación de apellidos (Huamanñahui)"}
	rec.Years[5].Areas[0].Value = credential.NoMark
	rec.Years[5].Result = credential.RequiereRecuperacion
	rec.Years[5].Observations = []string{"2018 - R.D. N.° 0088-2019 - Aprobó la recuperación pedagógica"}
	return rec
}

// longRecord: every year has 20 observations and two extra areas.
func longRecord() *credential.Record {
	rec := sample.Record(sample.Student(), 14)
	for i := range rec.Years {
		y := &rec.Years[i]
		y.Areas = append(y.Areas, credential.Mark{Area: "TALLER DE ORATORIA Y COMPRENSIÓN LECTORA", Value: credential.NoMark},
			credential.Mark{Area: "EDUCACIÓN PARA LA CONVIVENCIA Y LA CIUDADANÍA INTERCULTURAL", Value: credential.NoMark})
		y.Observations = nil
		for n := 1; n <= credential.MaxObservations; n++ {
			y.Observations = append(y.Observations, fmt.Sprintf("%d - R.D. N.° %04d-%d - Observación %d del año: "+
				"traslado de la institución educativa y convalidación de estudios según la norma vigente", y.Year, n, y.Year, n))
		}
	}
	return rec
}

// expectedText is what a reader must find in the PDF's text.
func expectedText(d *Document) []string {
	rec := d.Record
	st := rec.Student
	want := []string{st.FullName(), st.DocNumber, docLabel(st), vcode.Format(rec.Code), "CONSTANCIA DE LOGROS DE APRENDIZAJE",
		"MINISTERIO DE EDUCACIÓN", d.verifyURL()}
	for _, y := range rec.Years {
		want = append(want, y.School.Name, y.Result.String())
		for _, m := range append(append([]credential.Mark{}, y.Areas...), y.Transversal...) {
			want = append(want, m.Area)
		}
		want = append(want, y.Observations...)
	}
	return want
}

// furniture is the page furniture pdftotext finds between two halves of
// a paragraph broken across pages: the footer of one page (drawn last)
// and the running header of the next.
func furniture(d *Document, pages int) []string {
	st := d.Record.Student
	code := vcode.Format(d.Record.Code)
	out := []string{"Constancia de Logros de Aprendizaje · Código virtual " + code,
		"CONSTANCIA DE LOGROS DE APRENDIZAJE (continuación)" + code, st.FullName() + " · " + docLabel(st)}
	for p := 1; p <= pages; p++ {
		out = append(out, fmt.Sprintf("Página %d de %d", p, pages))
	}
	return out
}

// textLost returns the expected strings missing from a PDF's text.
func textLost(d *Document, text string, pages int) []string {
	text = squash(text)
	for _, f := range furniture(d, pages) {
		text = strings.ReplaceAll(text, squash(f), "")
	}
	var lost []string
	for _, w := range expectedText(d) {
		if !strings.Contains(text, squash(bmpOnly(w))) {
			lost = append(lost, w)
		}
	}
	return lost
}
