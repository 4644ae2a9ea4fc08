package credential

import (
	"errors"
	"fmt"

	"github.com/minedu-cla/cla/crypto/dcbor"
)

// Level is a level of Educación Básica Regular.
type Level uint8

// Levels.
const (
	Inicial    Level = 1
	Primaria   Level = 2
	Secundaria Level = 3
)

func (l Level) String() string {
	switch l {
	case Inicial:
		return "INICIAL"
	case Primaria:
		return "PRIMARIA"
	case Secundaria:
		return "SECUNDARIA"
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// GradeRange returns the valid grades of l: ages 3–5 in inicial, grades
// 1–6 in primaria and 1–5 in secundaria.
func (l Level) GradeRange() (lo, hi int) {
	switch l {
	case Inicial:
		return 3, 5
	case Primaria:
		return 1, 6
	case Secundaria:
		return 1, 5
	}
	return 1, 0
}

// Result is the situación final of a school year.
type Result uint8

// Results.
const (
	Promovido            Result = 1
	RequiereRecuperacion Result = 2
	PermaneceEnElGrado   Result = 3
)

func (r Result) String() string {
	switch r {
	case Promovido:
		return "PROMOVIDO"
	case RequiereRecuperacion:
		return "REQUIERE RECUPERACIÓN"
	case PermaneceEnElGrado:
		return "PERMANECE EN EL GRADO"
	}
	return fmt.Sprintf("result(%d)", uint8(r))
}

// First and last school years a constancia may show: the CLA covers
// Educación Básica Regular from 2013 on.
const (
	FirstYear = 2013
	LastYear  = 2099
	// yearBase is subtracted on the wire so that a year is one byte.
	yearBase = 2000
)

// YearSummary is one school year as the QR code carries it.
type YearSummary struct {
	Year   int
	Level  Level
	Grade  int // age in inicial, grade otherwise
	Result Result
}

func (y YearSummary) validate() error {
	lo, hi := y.Level.GradeRange()
	switch {
	case y.Year < FirstYear || y.Year > LastYear:
		return fmt.Errorf("year %d outside %d–%d", y.Year, FirstYear, LastYear)
	case y.Grade < lo || y.Grade > hi:
		return fmt.Errorf("year %d: grade %d of %v", y.Year, y.Grade, y.Level)
	case y.Result < Promovido || y.Result > PermaneceEnElGrado:
		return fmt.Errorf("year %d: %v", y.Year, y.Result)
	}
	return nil
}

func validateYears(ys []YearSummary) error {
	if len(ys) == 0 || len(ys) > MaxYears {
		return fmt.Errorf("%d school years", len(ys))
	}
	for i, y := range ys {
		if err := y.validate(); err != nil {
			return err
		}
		if i > 0 && y.Year <= ys[i-1].Year {
			return errors.New("school years not strictly ascending")
		}
	}
	return nil
}

// packedYears encodes as one byte string, two bytes a year, big-endian:
//
//	bits 15–9  year − 2000 (2013–2099)
//	bits 8–7   level (1 inicial, 2 primaria, 3 secundaria)
//	bits 6–4   grade (age 3–5 in inicial, else 1–6)
//	bits 3–2   result (1 promovido, 2 requiere recuperación, 3 permanece)
//	bits 1–0   zero
//
// An array of [year, level, grade, result] would take 6 bytes a year; at 2
// the QR code of a student with 13 years and 67 bytes of names stays within
// version 15-Q (see TestQRBudget).
type packedYears []YearSummary

func (p packedYears) MarshalCBOR() ([]byte, error) {
	b := make([]byte, 0, 2*len(p))
	for _, y := range p {
		if err := y.validate(); err != nil {
			return nil, err
		}
		v := uint16(y.Year-yearBase)<<9 | uint16(y.Level)<<7 | uint16(y.Grade)<<4 | uint16(y.Result)<<2
		b = append(b, byte(v>>8), byte(v))
	}
	return dcbor.Marshal(b)
}

func (p *packedYears) UnmarshalCBOR(data []byte) error {
	var b []byte
	if err := dcbor.Unmarshal(data, &b); err != nil {
		return err
	}
	if len(b)%2 != 0 || len(b) > 2*MaxYears {
		return fmt.Errorf("years field of %d bytes", len(b))
	}
	*p = make(packedYears, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		v := uint16(b[i])<<8 | uint16(b[i+1])
		if v&3 != 0 {
			return errors.New("years: reserved bits set")
		}
		*p = append(*p, YearSummary{Year: int(v>>9) + yearBase, Level: Level(v >> 7 & 3),
			Grade: int(v >> 4 & 7), Result: Result(v >> 2 & 3)})
	}
	return nil
}
