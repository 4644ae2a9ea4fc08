package school

import "fmt"

// Scale is the grading scale of a year and grade.
type Scale uint8

// Scales.
const (
	ScaleABC       Scale = iota + 1 // A, B, C: Inicial up to 2018
	ScaleLetters                    // AD, A, B, C
	ScaleVigesimal                  // "00" to "20": Secundaria up to 2018 (2.°–5.° in 2019)
)

// Marks a cell may hold on any scale.
const (
	Exonerated = "EXO" // exonerated from Educación Religiosa
	NoMark     = "-"   // no grade (area not taught, or not graded)
)

// ScaleFor returns the scale used in year for grade g.
func ScaleFor(year int, g Grade) (Scale, error) {
	if year < FirstYear || !g.Valid() {
		return 0, fmt.Errorf("%w: no scale for %d %v", ErrInvalid, year, g)
	}
	switch {
	case year >= 2020:
		return ScaleLetters, nil
	case year == 2019 && g.Index() <= lastCNEB2019:
		return ScaleLetters, nil
	case year == 2019, g.Level == Secundaria:
		return ScaleVigesimal, nil
	case g.Level == Inicial:
		return ScaleABC, nil
	}
	return ScaleLetters, nil
}

// Valid reports whether mark is a value of s, or EXO or "-".
func (s Scale) Valid(mark string) bool {
	if mark == Exonerated || mark == NoMark {
		return true
	}
	switch s {
	case ScaleABC:
		return mark == "A" || mark == "B" || mark == "C"
	case ScaleLetters:
		return mark == "AD" || mark == "A" || mark == "B" || mark == "C"
	case ScaleVigesimal:
		return len(mark) == 2 && mark[0] >= '0' && mark[0] <= '2' && mark[1] >= '0' && mark[1] <= '9' &&
			(mark[0] < '2' || mark[1] == '0')
	}
	return false
}

// String names the scale.
func (s Scale) String() string {
	switch s {
	case ScaleABC:
		return "A/B/C"
	case ScaleLetters:
		return "AD/A/B/C"
	case ScaleVigesimal:
		return "00-20"
	}
	return fmt.Sprintf("Scale(%d)", s)
}
