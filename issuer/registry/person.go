package registry

import (
	"fmt"
	"log/slog"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// Sex as RENIEC records it.
type Sex uint8

// Sexes; the wire codes are "M" and "F".
const (
	Male Sex = iota + 1
	Female
)

// MarshalText implements encoding.TextMarshaler.
func (s Sex) MarshalText() ([]byte, error) {
	switch s {
	case Male:
		return []byte("M"), nil
	case Female:
		return []byte("F"), nil
	}
	return nil, fmt.Errorf("registry: sex %d", s)
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Sex) UnmarshalText(b []byte) error {
	switch string(b) {
	case "M":
		*s = Male
	case "F":
		*s = Female
	default:
		return fmt.Errorf("registry: sex must be M or F")
	}
	return nil
}

// Parent is a father or mother as the person's identity record names them:
// given names (as printed on the DNI) and, when the registry knows it, their
// document. The zero Parent means "not recorded".
type Parent struct {
	Names string    `json:"names"`
	Doc   idnum.Doc `json:"doc,omitzero"`
}

// IsZero reports whether the parent is not recorded.
func (p Parent) IsZero() bool { return p == Parent{} }

// Person is what RENIEC (for a DNI) or Migraciones (for a CE) answers about
// someone. It is personal data: never log it (LogValue redacts it).
type Person struct {
	Doc       idnum.Doc   `json:"doc"`
	Names     string      `json:"names"`    // prenombres
	Surname1  string      `json:"surname1"` // primer apellido (paterno)
	Surname2  string      `json:"surname2"` // segundo apellido (materno); "" if none
	BirthDate Date        `json:"birth_date"`
	Sex       Sex         `json:"sex"`
	Father    Parent      `json:"father,omitzero"`
	Mother    Parent      `json:"mother,omitzero"`
	Ubigeo    ubigeo.Code `json:"ubigeo"`              // domicile district, RENIEC code
	DeathDate Date        `json:"death_date,omitzero"` // zero while alive
}

// FullName returns "NAMES SURNAME1 SURNAME2" as printed.
func (p *Person) FullName() string { return joinName(p.Names, p.Surname1, p.Surname2) }

// Deceased reports whether the registry records a death.
func (p *Person) Deceased() bool { return !p.DeathDate.IsZero() }

// AgeOn returns p's age in completed years on day today.
func (p *Person) AgeOn(today Date) int { return p.BirthDate.AgeOn(today) }

// IsAdult reports whether p is 18 or more on day today.
func (p *Person) IsAdult(today Date) bool { return p.AgeOn(today) >= AdultAge }

// HasParent reports whether doc is p's father's or mother's document per
// the registry.
func (p *Person) HasParent(doc idnum.Doc) bool {
	return !doc.IsZero() && (p.Father.Doc == doc || p.Mother.Doc == doc)
}

// LogValue keeps personal data out of structured logs.
func (p *Person) LogValue() slog.Value { return slog.StringValue("person (redacted)") }

// Validate checks a record read from a registry or a file: a DNI or CE,
// names within MaxNameLen, real dates in order, a district ubigeo, parents'
// documents that are DNIs or CEs.
func (p *Person) Validate() error {
	if p.Doc.Kind != idnum.KindDNI && p.Doc.Kind != idnum.KindCE {
		return fmt.Errorf("registry: person: document must be a DNI or CE")
	}
	if err := p.Doc.Validate(); err != nil {
		return fmt.Errorf("registry: person: %w", err)
	}
	if err := checkNames(p.Names, p.Surname1, p.Surname2); err != nil {
		return err
	}
	switch {
	case !p.BirthDate.Valid():
		return fmt.Errorf("registry: person: birth date")
	case p.Sex != Male && p.Sex != Female:
		return fmt.Errorf("registry: person: sex")
	case !p.DeathDate.IsZero() && (!p.DeathDate.Valid() || p.DeathDate.Compare(p.BirthDate) < 0):
		return fmt.Errorf("registry: person: death date")
	case checkDistrict(p.Ubigeo) != nil:
		return checkDistrict(p.Ubigeo)
	}
	for _, par := range []Parent{p.Father, p.Mother} {
		if err := par.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (p Parent) validate() error {
	if p.IsZero() {
		return nil
	}
	if err := checkName(p.Names, true); err != nil {
		return fmt.Errorf("registry: parent: %w", err)
	}
	if p.Doc.IsZero() {
		return nil
	}
	if p.Doc.Kind == idnum.KindStudentCode || p.Doc.Validate() != nil {
		return fmt.Errorf("registry: parent: document must be a DNI or CE")
	}
	return nil
}

func checkDistrict(c ubigeo.Code) error {
	if p, err := ubigeo.ParseCode(string(c)); err != nil || p != c || p.Level() != ubigeo.District {
		return fmt.Errorf("registry: ubigeo must be a 6-digit district code")
	}
	return nil
}
