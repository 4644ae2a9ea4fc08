package school

import "fmt"

// Year is one school year of a student as SIAGIE records it.
type Year struct {
	Year         int           `json:"year"` // año lectivo
	Grade        Grade         `json:"grade"`
	School       School        `json:"school"`
	Marks        Marks         `json:"marks"`                 // curricular areas, print order
	Transversal  Marks         `json:"transversal,omitempty"` // competencias transversales, CNEB only
	Final        Situation     `json:"final"`
	Observations []Observation `json:"observations,omitempty"`
	Acta         Acta          `json:"acta"`
}

// Scale returns the grading scale of y.
func (y *Year) Scale() Scale {
	s, _ := ScaleFor(y.Year, y.Grade)
	return s
}

// Curriculum returns the curriculum of y.
func (y *Year) Curriculum() Curriculum { return CurriculumFor(y.Year, y.Grade) }

// Validate checks y against the rules of its year and grade: known areas of
// its curriculum and level, marks of its scale, EXO only in Educación
// Religiosa, competencias transversales only in CNEB Primaria and
// Secundaria, and observations about this year.
func (y *Year) Validate() error {
	scale, err := ScaleFor(y.Year, y.Grade)
	if err != nil {
		return err
	}
	if err := y.School.Validate(); err != nil {
		return fmt.Errorf("year %d: %w", y.Year, err)
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%w: year %d: "+format, append([]any{ErrInvalid, y.Year}, a...)...)
	}
	if err := checkCells(y.Marks, Areas(y.Curriculum(), y.Grade.Level), scale); err != nil {
		return fail("%v", err)
	}
	switch {
	case len(y.Transversal) > 0 && !HasTransversal(y.Year, y.Grade):
		return fail("competencias transversales before the CNEB")
	case checkCells(y.Transversal, Transversal, ScaleLetters) != nil:
		return fail("%v", checkCells(y.Transversal, Transversal, ScaleLetters))
	case y.Final < Promoted || y.Final > Repeat:
		return fail("situación final")
	case y.Acta < ActaClosed || y.Acta > ActaRectification:
		return fail("acta state")
	case len(y.Observations) > MaxObservations:
		return fail("too many observations")
	}
	for _, o := range y.Observations {
		if err := o.Validate(); err != nil || o.Year != y.Year {
			return fail("observation about another year or malformed")
		}
	}
	return nil
}

// checkCells checks every cell is one of allowed, once, with a mark of
// scale; EXO only in Educación Religiosa.
func checkCells(cells Marks, allowed []Area, scale Scale) error {
	if len(cells) > MaxAreas {
		return fmt.Errorf("too many cells")
	}
	seen := map[Area]bool{}
	for _, c := range cells {
		switch {
		case seen[c.Area]:
			return fmt.Errorf("area %s repeated", c.Area)
		case !contains(allowed, c.Area):
			return fmt.Errorf("area %.8q not in this curriculum and level", string(c.Area))
		case !scale.Valid(c.Mark):
			return fmt.Errorf("mark %.8q not on the %v scale", c.Mark, scale)
		case c.Mark == Exonerated && c.Area != EdReligiosa:
			return fmt.Errorf("EXO outside Educación Religiosa")
		}
		seen[c.Area] = true
	}
	return nil
}

func contains(list []Area, a Area) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// ValidateYears checks a student's years: each valid, at most MaxYears, in
// strictly increasing order of año lectivo (one record per year).
func ValidateYears(years []Year) error {
	if len(years) > MaxYears {
		return fmt.Errorf("%w: too many years", ErrInvalid)
	}
	for i := range years {
		if err := years[i].Validate(); err != nil {
			return err
		}
		if i > 0 && years[i].Year <= years[i-1].Year {
			return fmt.Errorf("%w: years out of order or repeated", ErrInvalid)
		}
	}
	return nil
}

// Blocking returns the first year whose acta blocks issuing, if any.
func Blocking(years []Year) (year int, blocked bool) {
	for i := range years {
		if years[i].Acta.Blocks() {
			return years[i].Year, true
		}
	}
	return 0, false
}
