package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/school"
)

func TestErrors(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("reniec: %w", ErrTimeout)
	if !errors.Is(wrapped, ErrTimeout) || !errors.Is(wrapped, ErrUnavailable) {
		t.Fatal("a timeout must be ErrTimeout and ErrUnavailable")
	}
	if errors.Is(ErrUnavailable, ErrTimeout) || errors.Is(ErrNotFound, ErrUnavailable) {
		t.Fatal("unrelated sentinels match")
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		birth, on string
		age       int
	}{
		{"2008-03-01", "2026-03-01", 18},
		{"2008-03-02", "2026-03-01", 17},
		{"2008-02-29", "2026-02-28", 17},
		{"2008-02-29", "2026-03-01", 18},
		{"2010-12-31", "2011-01-01", 0},
	}
	for _, tt := range tests {
		b, err1 := ParseDate(tt.birth)
		on, err2 := ParseDate(tt.on)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got := b.AgeOn(on); got != tt.age {
			t.Errorf("AgeOn(%s, %s) = %d; want %d", tt.birth, tt.on, got, tt.age)
		}
	}
	for _, bad := range []string{"", "2008-02-30", "2008-2-1", "0999-01-01", "2008-01-01T00:00:00Z", " 2008-01-01"} {
		if _, err := ParseDate(bad); !errors.Is(err, ErrDate) {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	a, b := Date{2020, 1, 2}, Date{2020, 1, 3}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare")
	}
}

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"  José  María ", "JOSE MARIA"},
		{"PEÑA", "PENA"},
		{"peña", "PENA"},
		{"O'Higgins-Ñáñez", "O HIGGINS NANEZ"},
		{"MÜLLER", "MULLER"},
		{"\tAna\u00a0Lucía\n", "ANA LUCIA"},
		{"", ""},
		{"---", ""},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func person() *Person {
	return &Person{
		Doc:       idnum.FromDNI("10117410"),
		Names:     "JOSÉ ÁNGEL",
		Surname1:  "PEÑA",
		Surname2:  "QUISPE",
		BirthDate: Date{2012, 5, 14},
		Sex:       Male,
		Father:    Parent{Names: "JUAN CARLOS", Doc: idnum.FromDNI("25543680")},
		Mother:    Parent{Names: "ROSA MARÍA", Doc: idnum.FromCE("001234567")},
		Ubigeo:    "140137",
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	p := person()
	ok := Claim{FatherNames: "juan carlos", MotherNames: "Rosa Maria", Ubigeo: "140137"}
	tests := []struct {
		name  string
		claim Claim
		want  bool
	}{
		{"normalised names", ok, true},
		{"wrong father", Claim{"JUAN", ok.MotherNames, ok.Ubigeo}, false},
		{"wrong mother", Claim{ok.FatherNames, "ROSA", ok.Ubigeo}, false},
		{"wrong ubigeo", Claim{ok.FatherNames, ok.MotherNames, "140101"}, false},
		{"parents swapped", Claim{ok.MotherNames, ok.FatherNames, ok.Ubigeo}, false},
	}
	for _, tt := range tests {
		if got := p.Matches(tt.claim); got != tt.want {
			t.Errorf("%s: Matches = %v", tt.name, got)
		}
	}
	p.Father = Parent{}
	if !p.Matches(Claim{"", ok.MotherNames, ok.Ubigeo}) || p.Matches(ok) {
		t.Error("a person with no father recorded")
	}
}

func TestGuardianOf(t *testing.T) {
	t.Parallel()
	p := person()
	rec := &Student{Tutors: []Tutor{{Doc: idnum.FromDNI("10812543"), Relation: RelGrandmother}}}
	tests := []struct {
		name     string
		student  *Person
		records  *Student
		guardian idnum.Doc
		want     Guardianship
	}{
		{"father", p, rec, idnum.FromDNI("25543680"), ParentPerIdentity},
		{"mother with CE", p, nil, idnum.FromCE("001234567"), ParentPerIdentity},
		{"tutor", p, rec, idnum.FromDNI("10812543"), TutorPerRecords},
		{"tutor of a student with no DNI", nil, rec, idnum.FromDNI("10812543"), TutorPerRecords},
		{"stranger", p, rec, idnum.FromDNI("99999999"), NotGuardian},
		{"same number other kind", p, rec, idnum.Doc{Kind: idnum.KindCE, Number: "25543680"}, NotGuardian},
		{"no document", p, rec, idnum.Doc{}, NotGuardian},
	}
	for _, tt := range tests {
		if got := GuardianOf(tt.student, tt.records, tt.guardian); got != tt.want {
			t.Errorf("%s: GuardianOf = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestPersonValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Person)
		ok   bool
	}{
		{"valid", func(*Person) {}, true},
		{"no second surname", func(p *Person) { p.Surname2 = "" }, true},
		{"no first surname", func(p *Person) { p.Surname1 = "" }, false},
		{"code as document", func(p *Person) { p.Doc = idnum.Doc{Kind: idnum.KindStudentCode, Number: "00000012345678"} }, false},
		{"untrimmed name", func(p *Person) { p.Names = " JOSÉ" }, false},
		{"control char", func(p *Person) { p.Names = "JOSÉ\n" }, false},
		{"long name", func(p *Person) { p.Names = strings.Repeat("A", MaxNameLen+1) }, false},
		{"death before birth", func(p *Person) { p.DeathDate = Date{2000, 1, 1} }, false},
		{"province ubigeo", func(p *Person) { p.Ubigeo = "140100" }, false},
		{"parent without names", func(p *Person) { p.Father.Names = "" }, false},
		{"no sex", func(p *Person) { p.Sex = 0 }, false},
	}
	for _, tt := range tests {
		p := person()
		tt.edit(p)
		if err := p.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v", tt.name, err)
		}
	}
}

func TestPersonJSON(t *testing.T) {
	t.Parallel()
	p := person()
	p.Father = Parent{}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"doc":{"type":"DNI","number":"10117410"},"names":"JOSÉ ÁNGEL","surname1":"PEÑA","surname2":"QUISPE",` +
		`"birth_date":"2012-05-14","sex":"M","mother":{"names":"ROSA MARÍA","doc":{"type":"CE","number":"001234567"}},"ubigeo":"140137"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back Person
	if err := json.Unmarshal(b, &back); err != nil || back != *p {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestStudentValidate(t *testing.T) {
	t.Parallel()
	s := &Student{
		Code: "00000012345678", Names: "ANA", Surname1: "QUISPE", BirthDate: Date{2015, 1, 1}, Sex: Female,
		Tutors: []Tutor{{Doc: idnum.FromDNI("10812543"), Names: "ROSA", Surname1: "MAMANI", Relation: RelGrandmother}},
		Years: []school.Year{{Year: 2019, Grade: school.Grade{Level: school.Inicial, N: 4},
			School: school.School{Code: "0403691-0", Name: "I.E.I. N.° 123", Ubigeo: "140101"},
			Marks:  school.Marks{{Area: school.Matematica, Mark: "A"}}, Final: school.Promoted, Acta: school.ActaUnderReview}},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if y, blocked := s.Blocking(); !blocked || y != 2019 {
		t.Errorf("Blocking() = %d, %v", y, blocked)
	}
	s.Tutors[0].Relation = "vecino"
	if err := s.Validate(); err == nil {
		t.Error("unknown relation accepted")
	}
}

type fixed struct{ p *Person }

func (f fixed) Person(context.Context, idnum.Doc) (*Person, error) { return f.p, nil }

func TestIdentities(t *testing.T) {
	t.Parallel()
	dni := &Person{Names: "RENIEC"}
	r := Identities{DNI: fixed{dni}}
	ctx := context.Background()
	if p, err := r.Person(ctx, idnum.FromDNI("10117410")); err != nil || p != dni {
		t.Fatalf("DNI: %v, %v", p, err)
	}
	for _, d := range []idnum.Doc{idnum.FromCE("001234567"), idnum.FromStudentCode("00000012345678"), {}} {
		if _, err := r.Person(ctx, d); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%v: %v; want ErrUnsupported", d.Kind, err)
		}
	}
}

func TestLogValueRedacts(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	log := slog.New(slog.NewJSONHandler(&b, nil))
	log.Info("x", "person", person(), "student", &Student{Names: "ANA"})
	if strings.Contains(b.String(), "PEÑA") || strings.Contains(b.String(), "ANA") {
		t.Fatalf("personal data logged: %s", b.String())
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"José María", "PEÑA", "O'Higgins", "\u00a0", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeName(s)
		if NormalizeName(n) != n {
			t.Fatalf("not idempotent: %q -> %q", s, n)
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("spaces in %q", n)
		}
	})
}

func FuzzPersonJSON(f *testing.F) {
	b, _ := json.Marshal(person())
	f.Add(b)
	f.Add([]byte(`{"doc":{"type":"CE","number":"001234567"},"birth_date":"2000-02-29"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Person
		if json.Unmarshal(data, &p) != nil || p.Validate() != nil {
			return
		}
		out, err := json.Marshal(&p)
		if err != nil {
			t.Fatalf("valid person does not marshal: %v", err)
		}
		var back Person
		if err := json.Unmarshal(out, &back); err != nil || back != p {
			t.Fatalf("round trip: %+v != %+v (%v)", back, p, err)
		}
	})
}
