package registry

import (
	"fmt"
	"log/slog"
	"slices"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/school"
)

// Relation is how a registered tutor (apoderado) relates to a student.
type Relation string

// Relations SIAGIE records.
const (
	RelFather      Relation = "padre"
	RelMother      Relation = "madre"
	RelGrandfather Relation = "abuelo"
	RelGrandmother Relation = "abuela"
	RelUncle       Relation = "tio"
	RelAunt        Relation = "tia"
	RelBrother     Relation = "hermano"
	RelSister      Relation = "hermana"
	RelLegal       Relation = "tutor_legal"
	RelOther       Relation = "otro"
)

// Valid reports whether r is one of the relations above.
func (r Relation) Valid() bool {
	switch r {
	case RelFather, RelMother, RelGrandfather, RelGrandmother, RelUncle, RelAunt,
		RelBrother, RelSister, RelLegal, RelOther:
		return true
	}
	return false
}

// Tutor is a person registered in SIAGIE as a student's apoderado.
type Tutor struct {
	Doc      idnum.Doc `json:"doc"`
	Names    string    `json:"names"`
	Surname1 string    `json:"surname1"`
	Surname2 string    `json:"surname2"`
	Relation Relation  `json:"relation"`
}

// Student is what SIAGIE answers about a student. It is personal data:
// never log it (LogValue redacts it).
type Student struct {
	Code      idnum.StudentCode `json:"code"`         // always present
	Doc       idnum.Doc         `json:"doc,omitzero"` // DNI or CE; zero for a student with neither
	Names     string            `json:"names"`
	Surname1  string            `json:"surname1"`
	Surname2  string            `json:"surname2"`
	BirthDate Date              `json:"birth_date"`
	Sex       Sex               `json:"sex"`
	Tutors    []Tutor           `json:"tutors,omitempty"`
	Years     []school.Year     `json:"years"` // from 2013 on, in order
}

// FullName returns "NAMES SURNAME1 SURNAME2".
func (s *Student) FullName() string { return joinName(s.Names, s.Surname1, s.Surname2) }

// HasTutor reports whether doc is registered as one of s's tutors.
func (s *Student) HasTutor(doc idnum.Doc) bool {
	for _, t := range s.Tutors {
		if !doc.IsZero() && t.Doc == doc {
			return true
		}
	}
	return false
}

// Blocking returns the first year whose acta is under review or
// rectification: no constancia may be issued until it is closed.
func (s *Student) Blocking() (year int, blocked bool) { return school.Blocking(s.Years) }

// LogValue keeps personal data out of structured logs.
func (s *Student) LogValue() slog.Value { return slog.StringValue("student (redacted)") }

// Validate checks a record read from a registry or a file.
func (s *Student) Validate() error {
	if _, err := idnum.ParseStudentCode(string(s.Code)); err != nil || len(s.Code) != idnum.StudentCodeLen {
		return fmt.Errorf("registry: student: código del estudiante")
	}
	if !s.Doc.IsZero() && (s.Doc.Kind == idnum.KindStudentCode || s.Doc.Validate() != nil) {
		return fmt.Errorf("registry: student: document must be a DNI or CE")
	}
	if err := checkNames(s.Names, s.Surname1, s.Surname2); err != nil {
		return err
	}
	if !s.BirthDate.Valid() || (s.Sex != Male && s.Sex != Female) {
		return fmt.Errorf("registry: student: birth date or sex")
	}
	if len(s.Tutors) > MaxTutors {
		return fmt.Errorf("registry: student: too many tutors")
	}
	for _, t := range s.Tutors {
		if err := t.validate(); err != nil {
			return err
		}
	}
	return school.ValidateYears(s.Years)
}

func (t Tutor) validate() error {
	if (t.Doc.Kind != idnum.KindDNI && t.Doc.Kind != idnum.KindCE) || t.Doc.Validate() != nil {
		return fmt.Errorf("registry: tutor: document must be a DNI or CE")
	}
	if !t.Relation.Valid() {
		return fmt.Errorf("registry: tutor: relation")
	}
	return checkNames(t.Names, t.Surname1, t.Surname2)
}

// Clone returns a deep copy of s, for stores that hand out records.
func (s *Student) Clone() *Student {
	c := *s
	c.Tutors = slices.Clone(s.Tutors)
	c.Years = slices.Clone(s.Years)
	for i := range c.Years {
		y := &c.Years[i]
		y.Marks, y.Transversal = slices.Clone(y.Marks), slices.Clone(y.Transversal)
		y.Observations = slices.Clone(y.Observations)
	}
	return &c
}
