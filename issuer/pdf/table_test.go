package pdf

import (
	"slices"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
)

func TestTables(t *testing.T) {
	tests := []struct {
		name  string
		rec   *credential.Record
		want  []string // level and columns of each table
		heads []string // the titles
	}{
		{"13 years", sample13(), []string{"INICIAL 2", "PRIMARIA 6", "SECUNDARIA 5"}, nil},
		{"1 year", sample.Record(sample.ShortStudent(), 1), []string{"INICIAL 1"}, nil},
		{"40 years of secundaria", manyYears(), []string{"SECUNDARIA 7", "SECUNDARIA 7", "SECUNDARIA 7",
			"SECUNDARIA 7", "SECUNDARIA 7", "SECUNDARIA 5"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tb := range tables(tc.rec) {
				got = append(got, tb.level.String()+" "+itoa(len(tb.years)))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("tables %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMarks: the union of the areas in first-printed order, an empty cell
// where a year lacks one, the first mark where a year lists one twice.
func TestMarks(t *testing.T) {
	y := func(year int, marks ...string) credential.RecordYear {
		ry := credential.RecordYear{Year: year, Level: credential.Primaria}
		for i := 0; i < len(marks); i += 2 {
			ry.Areas = append(ry.Areas, credential.Mark{Area: marks[i], Value: marks[i+1]})
		}
		return ry
	}
	tb := table{level: credential.Primaria, years: []credential.RecordYear{
		y(2018, "COMUNICACIÓN", "A", "ARTE", "B"),
		y(2019, "ARTE Y CULTURA", "AD", "COMUNICACIÓN", "C", "COMUNICACIÓN", "AD"),
	}}
	var got []string
	for _, r := range tb.body() {
		got = append(got, r.label+":"+strings.Join(r.cells, ","))
	}
	want := []string{"ÁREAS CURRICULARES:", "COMUNICACIÓN:A,C", "ARTE:B,", "ARTE Y CULTURA:,AD", "Situación final:result(0),result(0)"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
}

func TestHead(t *testing.T) {
	tb := tables(sample13())[0]
	var got []string
	for _, r := range tb.head() {
		got = append(got, r.label+":"+strings.Join(r.cells, ","))
	}
	want := []string{"Año lectivo:2013,2014", "Edad:4 años,5 años", "Código modular - anexo:1234567-0,1234567-0"}
	if !slices.Equal(got, want) {
		t.Errorf("head %q, want %q", got, want)
	}
	if g := gradeName(credential.RecordYear{Level: credential.Secundaria, Grade: 3}); g != "3.°" {
		t.Errorf("grade %q", g)
	}
}

func TestLevelsLine(t *testing.T) {
	tests := []struct {
		years int
		want  string
	}{
		{1, "NIVEL INICIAL"},
		{8, "NIVELES INICIAL Y PRIMARIA"},
		{13, "NIVELES INICIAL, PRIMARIA Y SECUNDARIA"},
	}
	for _, tc := range tests {
		if got := levelsLine(sample.Record(sample.Student(), tc.years)); got != tc.want {
			t.Errorf("%d years: %q, want %q", tc.years, got, tc.want)
		}
	}
}

func TestDocLabel(t *testing.T) {
	tests := map[credential.DocType]string{
		credential.DNI:         "DNI N.° 1",
		credential.CE:          "carné de extranjería N.° 1",
		credential.StudentCode: "código del estudiante N.° 1",
	}
	for dt, want := range tests {
		if got := docLabel(credential.Student{DocType: dt, DocNumber: "1"}); got != want {
			t.Errorf("%v: %q, want %q", dt, got, want)
		}
	}
}

func TestLegend(t *testing.T) {
	tests := []struct {
		name string
		rec  *credential.Record
		has  []string
		not  []string
	}{
		{"1 year", sample.Record(sample.ShortStudent(), 1), []string{"Escala literal"}, []string{"EXO", "vigesimal", "-:"}},
		{"13 years", sample13(), []string{"Escala literal", "EXO: exonerado(a) del área de Educación Religiosa."}, []string{"-:", "vigesimal"}},
		{"vigesimal", vigesimal(), []string{"Escala literal", "Escala vigesimal"}, nil},
		{"no mark", observed(), []string{"-: "}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(legend(tc.rec), "\n")
			for _, s := range tc.has {
				if !strings.Contains(got, s) {
					t.Errorf("legend lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(got, s) {
					t.Errorf("legend has %q:\n%s", s, got)
				}
			}
		})
	}
}

// vigesimal: secundaria graded 00–20, as before 2020.
func vigesimal() *credential.Record {
	rec := sample13()
	y := &rec.Years[len(rec.Years)-1]
	y.Scale = credential.Vigesimal
	for i := range y.Areas {
		y.Areas[i].Value = "15"
	}
	y.Transversal = nil
	return rec
}
