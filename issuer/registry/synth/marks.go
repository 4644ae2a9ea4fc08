package synth

import (
	"fmt"
	"github.com/minedu-cla/cla/issuer/idnum"

	"github.com/minedu-cla/cla/issuer/school"
)

// vigesimal holds "00" to "20" so marks share strings instead of
// allocating one per cell.
var vigesimal = func() (v [21]string) {
	for i := range v {
		v[i] = fmt.Sprintf("%02d", i)
	}
	return v
}()

// record builds the year's record: marks consistent with the outcome
// (failed areas for recovery and repetition), EXO, "-" where English is not
// taught, the transversales under the CNEB, and observations.
func (w *walk) record(year int, out school.Situation) school.Year {
	g, _ := school.GradeAt(w.grade)
	y := school.Year{Year: year, Grade: g, School: w.g.school(w.h.place, w.school), Final: out, Acta: school.ActaClosed}
	scale := y.Scale()
	areas := school.Areas(y.Curriculum(), g.Level)
	y.Marks = make(school.Marks, len(areas))
	var graded []int // cells that get a real mark
	for i, a := range areas {
		y.Marks[i] = school.Cell{Area: a, Mark: w.special(a, g.Level)}
		if y.Marks[i].Mark == "" {
			graded = append(graded, i)
		}
	}
	fails := min(w.failures(out), len(graded)-1)
	for k := range graded { // partial shuffle: the first fails cells fail
		j := k + w.r.intn(len(graded)-k)
		graded[k], graded[j] = graded[j], graded[k]
	}
	for k, i := range graded {
		y.Marks[i].Mark = w.mark(scale, k < fails)
	}
	if school.HasTransversal(year, g) {
		y.Transversal = school.Marks{
			{Area: school.TIC, Mark: w.mark(school.ScaleLetters, false)},
			{Area: school.Autonomo, Mark: w.mark(school.ScaleLetters, false)},
		}
	}
	w.observe(&y)
	return y
}

// special returns EXO for Educación Religiosa in exonerated families, "-"
// for English in Primaria where the school does not teach it (public
// schools j ≡ 1 mod 4), and "" for a cell to grade.
func (w *walk) special(a school.Area, l school.Level) string {
	switch {
	case a == school.EdReligiosa && w.h.plan.exo:
		return school.Exonerated
	case a == school.Ingles && l == school.Primaria && w.school%4 == 1:
		return school.NoMark
	}
	return ""
}

func (w *walk) failures(out school.Situation) int {
	switch out {
	case school.Recovery:
		return w.r.between(1, 3)
	case school.Repeat:
		return w.r.between(4, 6)
	}
	return 0
}

// mark draws one mark: passing ones around the child's ability, failing
// ones 05–10 (C on a letter scale).
func (w *walk) mark(s school.Scale, fail bool) string {
	score := min(20, 11+w.ability+w.r.between(-2, 3))
	score = max(score, 11)
	if fail {
		score = w.r.between(5, 10)
	}
	switch {
	case s == school.ScaleVigesimal:
		return vigesimal[score]
	case score >= 18 && s == school.ScaleLetters:
		return "AD"
	case score >= 14:
		return "A"
	case score >= 11:
		return "B"
	}
	return "C"
}

func (w *walk) observe(y *school.Year) {
	if w.h.plan.exo && !w.exoSeen {
		if _, ok := y.Marks.Get(school.EdReligiosa); ok {
			w.exoSeen = true
			y.Observations = append(y.Observations, w.note(y.Year, "Exoneración del área de Educación Religiosa"))
		}
	}
	if w.h.plan.foreign && w.cp.doc == idnum.KindCE && y.Year == max(w.h.plan.arrival, school.FirstYear) && len(w.years) == 0 {
		y.Observations = append(y.Observations, w.note(y.Year, "Convalidación de estudios realizados en el extranjero"))
	}
	if y.Final == school.Recovery {
		y.Observations = append(y.Observations, w.note(y.Year, "Aprobó la evaluación de recuperación"))
	}
}

// note writes an observation with a plausible UGEL resolution number.
func (w *walk) note(year int, reason string) school.Observation {
	res := fmt.Sprintf("R.D. N.° %05d-%d-UGEL.%02d", w.r.between(1, 9999), year, w.r.between(1, 16))
	return school.Observation{Year: year, Resolution: res, Reason: reason}
}
