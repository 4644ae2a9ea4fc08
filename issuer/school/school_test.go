package school

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestGrades(t *testing.T) {
	t.Parallel()
	var all []string
	for i := 0; ; i++ {
		g, ok := GradeAt(i)
		if !ok {
			break
		}
		if g.Index() != i {
			t.Fatalf("GradeAt(%d).Index() = %d", i, g.Index())
		}
		all = append(all, g.String())
	}
	want := "I3 I4 I5 P1 P2 P3 P4 P5 P6 S1 S2 S3 S4 S5"
	if got := strings.Join(all, " "); got != want || len(all) != NumGrades {
		t.Fatalf("grades = %s", got)
	}
	if _, ok := (Grade{Secundaria, 5}).Next(); ok {
		t.Error("a grade after 5.° de secundaria")
	}
	if g, _ := (Grade{Inicial, 5}).Next(); g != (Grade{Primaria, 1}) {
		t.Errorf("after I5: %v", g)
	}
	for _, bad := range []string{"", "P7", "I2", "S0", "X1", "P10"} {
		if _, err := ParseGrade(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseGrade(%q) accepted", bad)
		}
	}
}

func TestScaleFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year  int
		grade string
		want  Scale
	}{
		{2013, "I4", ScaleABC},
		{2018, "I5", ScaleABC},
		{2013, "P1", ScaleLetters},
		{2018, "P6", ScaleLetters},
		{2013, "S1", ScaleVigesimal},
		{2018, "S5", ScaleVigesimal},
		{2019, "I3", ScaleLetters},
		{2019, "P6", ScaleLetters},
		{2019, "S1", ScaleLetters},
		{2019, "S2", ScaleVigesimal},
		{2019, "S5", ScaleVigesimal},
		{2020, "S5", ScaleLetters},
		{2025, "I3", ScaleLetters},
	}
	for _, tt := range tests {
		g, _ := ParseGrade(tt.grade)
		got, err := ScaleFor(tt.year, g)
		if err != nil || got != tt.want {
			t.Errorf("ScaleFor(%d, %s) = %v, %v; want %v", tt.year, tt.grade, got, err, tt.want)
		}
	}
	if _, err := ScaleFor(2012, Grade{Primaria, 1}); err == nil {
		t.Error("a scale before 2013")
	}
}

func TestScaleValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scale Scale
		ok    []string
		bad   []string
	}{
		{ScaleABC, []string{"A", "B", "C", "EXO", "-"}, []string{"AD", "D", "11", ""}},
		{ScaleLetters, []string{"AD", "A", "B", "C"}, []string{"a", "D", "20"}},
		{ScaleVigesimal, []string{"00", "05", "11", "19", "20"}, []string{"21", "5", "1", "100", "A", "-1", "30"}},
	}
	for _, tt := range tests {
		for _, m := range tt.ok {
			if !tt.scale.Valid(m) {
				t.Errorf("%v rejects %q", tt.scale, m)
			}
		}
		for _, m := range tt.bad {
			if tt.scale.Valid(m) {
				t.Errorf("%v accepts %q", tt.scale, m)
			}
		}
	}
}

func TestCurriculum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year  int
		grade string
		want  Curriculum
		trans bool
	}{
		{2013, "P3", DCN, false},
		{2018, "S3", DCN, false},
		{2019, "I4", CNEB, false},
		{2019, "S1", CNEB, true},
		{2019, "S2", DCN, false},
		{2020, "S5", CNEB, true},
		{2024, "I5", CNEB, false},
	}
	for _, tt := range tests {
		g, _ := ParseGrade(tt.grade)
		if got := CurriculumFor(tt.year, g); got != tt.want {
			t.Errorf("CurriculumFor(%d, %s) = %v", tt.year, tt.grade, got)
		}
		if got := HasTransversal(tt.year, g); got != tt.trans {
			t.Errorf("HasTransversal(%d, %s) = %v", tt.year, tt.grade, got)
		}
	}
	for c := DCN; c <= CNEB; c++ {
		for l := Inicial; l <= Secundaria; l++ {
			for _, a := range Areas(c, l) {
				if a.Name() == "" {
					t.Errorf("area %s has no name", a)
				}
			}
		}
	}
	if len(Areas(CNEB, Secundaria)) != 10 || len(Areas(DCN, Secundaria)) != 11 {
		t.Error("secundaria area counts")
	}
}

func TestObservation(t *testing.T) {
	t.Parallel()
	const s = "2018 - R.D. N.° 01234-2018-UGEL.03 - Aprobó evaluación de recuperación - segunda fase"
	o, err := ParseObservation(s)
	if err != nil || o.Year != 2018 || o.Resolution != "R.D. N.° 01234-2018-UGEL.03" ||
		o.Reason != "Aprobó evaluación de recuperación - segunda fase" || o.String() != s {
		t.Fatalf("ParseObservation = %+v, %v", o, err)
	}
	for _, bad := range []string{"", "2018", "2018 - RD", "18 - RD - x", "2012 - RD - x", "2018 -  - x", "2018 - RD - a\nb"} {
		if _, err := ParseObservation(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseObservation(%q) accepted", bad)
		}
	}
}

func TestModular(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0403691-0", "04036910", " 0403691 0 "} {
		m, err := ParseModular(in)
		if err != nil || m != "0403691-0" || m.Code() != "0403691" || m.Anexo() != "0" {
			t.Errorf("ParseModular(%q) = %q, %v", in, m, err)
		}
	}
	for _, bad := range []string{"403691-0", "0403691-", "0403691-01", "04036a1-0"} {
		if _, err := ParseModular(bad); err == nil {
			t.Errorf("ParseModular(%q) accepted", bad)
		}
	}
}

func validYear() Year {
	return Year{
		Year:         2019,
		Grade:        Grade{Secundaria, 1},
		School:       School{Code: "0403691-0", Name: "I.E. Señor de los Milagros", Ubigeo: "140101"},
		Marks:        Marks{{Comunicacion, "A"}, {Matematica, "AD"}, {Ingles, NoMark}, {EdReligiosa, Exonerated}},
		Transversal:  Marks{{TIC, "B"}, {Autonomo, "A"}},
		Final:        Promoted,
		Observations: []Observation{{2019, "R.D. N.° 00123-2019", "Exoneración del área de Educación Religiosa"}},
		Acta:         ActaClosed,
	}
}

func TestYearValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(*Year)
		errSub string
	}{
		{"valid", func(*Year) {}, ""},
		{"before 2013", func(y *Year) { y.Year = 2012 }, "no scale"},
		{"area of the other curriculum", func(y *Year) { y.Marks[0].Area = HistGeoEco }, "not in this curriculum"},
		{"vigesimal in a letters year", func(y *Year) { y.Marks[0].Mark = "15" }, "scale"},
		{"EXO outside religion", func(y *Year) { y.Marks[0].Mark = Exonerated }, "EXO"},
		{"repeated area", func(y *Year) { y.Marks[1].Area = Comunicacion }, "repeated"},
		{"transversal under the DCN", func(y *Year) { y.Year = 2018; y.Marks = Marks{{Matematica, "14"}}; y.Observations = nil }, "transversales"},
		{"observation of another year", func(y *Year) { y.Observations[0].Year = 2018 }, "observation"},
		{"no situation", func(y *Year) { y.Final = 0 }, "situación"},
		{"no acta", func(y *Year) { y.Acta = 9 }, "acta"},
		{"bad school", func(y *Year) { y.School.Code = "1" }, "modular"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := validYear()
			tt.edit(&y)
			err := y.Validate()
			if tt.errSub == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.errSub) {
				t.Fatalf("Validate() = %v; want error with %q", err, tt.errSub)
			}
		})
	}
}

func TestValidateYearsAndBlocking(t *testing.T) {
	t.Parallel()
	a, b := validYear(), validYear()
	b.Year, b.Grade, b.Observations = 2020, Grade{Secundaria, 2}, nil
	if err := ValidateYears([]Year{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := ValidateYears([]Year{b, a}); err == nil {
		t.Error("years out of order accepted")
	}
	if _, blocked := Blocking([]Year{a, b}); blocked {
		t.Error("closed actas block")
	}
	b.Acta = ActaUnderReview
	if y, blocked := Blocking([]Year{a, b}); !blocked || y != 2020 {
		t.Errorf("Blocking = %d, %v", y, blocked)
	}
}

func TestYearJSONRoundTrip(t *testing.T) {
	t.Parallel()
	y := validYear()
	b, err := json.Marshal(&y)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"year":2019,"grade":"S1","school":{"code":"0403691-0","name":"I.E. Señor de los Milagros","ubigeo":"140101"},` +
		`"marks":{"COM":"A","MAT":"AD","ING":"-","REL":"EXO"},"transversal":{"TIC":"B","GAA":"A"},"final":"promovido",` +
		`"observations":["2019 - R.D. N.° 00123-2019 - Exoneración del área de Educación Religiosa"],"acta":"cerrada"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back Year
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if string(again) != want {
		t.Fatalf("round trip changed: %s", again)
	}
}

func TestMarksDecodeStrict(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`[]`, `{"MAT":"A","MAT":"B"}`, `{"MAT":1}`, `{"MAT":null}`, `{"MAT":"A"`, `{"MAT":{"x":"y"}}`} {
		var m Marks
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("Unmarshal(%s) accepted: %v", bad, m)
		}
	}
}

func FuzzMarksJSON(f *testing.F) {
	for _, s := range []string{`{"MAT":"A","COM":"AD"}`, `{}`, `{"MAT":"A","MAT":"B"}`, `{"a":"\u00d1"}`, `[1]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Marks
		if err := m.UnmarshalJSON(data); err != nil {
			return
		}
		b, err := m.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Marks
		if err := back.UnmarshalJSON(b); err != nil || len(back) != len(m) {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		for i := range m {
			if m[i] != back[i] {
				t.Fatalf("cell %d changed: %v -> %v", i, m[i], back[i])
			}
		}
	})
}

func FuzzYearJSON(f *testing.F) {
	y := validYear()
	b, _ := json.Marshal(&y)
	f.Add(b)
	f.Add([]byte(`{"year":2013,"grade":"I3","marks":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var y Year
		if json.Unmarshal(data, &y) != nil || y.Validate() != nil {
			return
		}
		out, err := json.Marshal(&y)
		if err != nil {
			t.Fatalf("a valid year does not marshal: %v", err)
		}
		var back Year
		if err := json.Unmarshal(out, &back); err != nil || back.Validate() != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
	})
}

func FuzzParseObservation(f *testing.F) {
	f.Add("2018 - R.D. N.° 01234-2018-UGEL.03 - Aprobó evaluación de recuperación")
	f.Add("2018 - - ")
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseObservation(s)
		if err != nil {
			return
		}
		if again, err := ParseObservation(o.String()); err != nil || again != o {
			t.Fatalf("round trip %q: %+v, %v", s, again, err)
		}
	})
}
