package school

import "fmt"

// Level is a level of Educación Básica Regular.
type Level uint8

// Levels, in order.
const (
	Inicial Level = iota + 1
	Primaria
	Secundaria
)

// String returns the level's Spanish name, as printed.
func (l Level) String() string {
	switch l {
	case Inicial:
		return "Inicial"
	case Primaria:
		return "Primaria"
	case Secundaria:
		return "Secundaria"
	}
	return fmt.Sprintf("Level(%d)", l)
}

// Grade is a grade within a level. In Inicial, N is the child's age (3–5);
// in Primaria 1–6; in Secundaria 1–5.
type Grade struct {
	Level Level
	N     int
}

var firstN = [...]int{Inicial: 3, Primaria: 1, Secundaria: 1}
var lastN = [...]int{Inicial: 5, Primaria: 6, Secundaria: 5}
var letter = [...]byte{Inicial: 'I', Primaria: 'P', Secundaria: 'S'}

// NumGrades is the number of grades from Inicial 3 años to 5.° de
// secundaria.
const NumGrades = 14

// GradeAt returns the i-th grade, 0 being Inicial 3 años and 13 being 5.° de
// secundaria.
func GradeAt(i int) (Grade, bool) {
	for l := Inicial; l <= Secundaria; l++ {
		n := lastN[l] - firstN[l] + 1
		if i < n {
			return Grade{l, firstN[l] + i}, i >= 0
		}
		i -= n
	}
	return Grade{}, false
}

// Index is g's position from 0 (Inicial 3 años) to 13 (5.° de secundaria).
func (g Grade) Index() int {
	i := 0
	for l := Inicial; l < g.Level; l++ {
		i += lastN[l] - firstN[l] + 1
	}
	return i + g.N - firstN[g.Level]
}

// Valid reports whether g exists.
func (g Grade) Valid() bool {
	return g.Level >= Inicial && g.Level <= Secundaria && g.N >= firstN[g.Level] && g.N <= lastN[g.Level]
}

// Next returns the grade after g; false after 5.° de secundaria.
func (g Grade) Next() (Grade, bool) { return GradeAt(g.Index() + 1) }

// String returns the wire code: "I3"–"I5", "P1"–"P6", "S1"–"S5".
func (g Grade) String() string {
	if !g.Valid() {
		return fmt.Sprintf("Grade(%d,%d)", g.Level, g.N)
	}
	return fmt.Sprintf("%c%d", letter[g.Level], g.N)
}

// ParseGrade parses a wire code such as "P3".
func ParseGrade(s string) (Grade, error) {
	if len(s) == 2 {
		for l := Inicial; l <= Secundaria; l++ {
			g := Grade{l, int(s[1]) - '0'}
			if s[0] == letter[l] && g.Valid() {
				return g, nil
			}
		}
	}
	return Grade{}, fmt.Errorf("%w: grade must be I3–I5, P1–P6 or S1–S5", ErrInvalid)
}

// MarshalText implements encoding.TextMarshaler.
func (g Grade) MarshalText() ([]byte, error) {
	if !g.Valid() {
		return nil, fmt.Errorf("%w: grade", ErrInvalid)
	}
	return []byte(g.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (g *Grade) UnmarshalText(b []byte) error {
	v, err := ParseGrade(string(b))
	if err == nil {
		*g = v
	}
	return err
}
