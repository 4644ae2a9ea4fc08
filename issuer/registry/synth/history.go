package synth

import (
	"github.com/minedu-cla/cla/issuer/idnum"
	"time"

	"github.com/minedu-cla/cla/issuer/school"
)

// Per-mille odds of events in one school year.
const (
	oddsGap         = 15
	oddsTransfer    = 40
	oddsStayAtLevel = 600 // stay in the same school across a level change
	oddsRepeat      = 20
	oddsRecoverySec = 40
	oddsRecoveryPri = 25
	oddsReview      = 5 // the last year's acta under review
	oddsRectify     = 2 // any year's acta in rectification
)

// walk is the state of one child's way through school.
type walk struct {
	g       *Generator
	r       *rng
	h       *household
	cp      childPlan
	grade   int // grade index
	school  int // school j in the family's place
	ability int // 0–8, shifts every mark
	exoSeen bool
	years   []school.Year
}

// history generates the school years of child c of h, from FirstYear to
// the last closed year. Years before 2013 (and abroad) are walked but not
// recorded, so a 2013 record shows the right grade.
func (g *Generator) history(h *household, c int) []school.Year {
	slot := uint64(h.index*slotsPerFamily + roleChild0 + c)
	w := &walk{g: g, r: newRNG(g.cfg.Seed, slot, streamHistory), h: h, cp: h.plan.children[c]}
	birth := h.members[roleChild0+c].person.BirthDate
	yI3 := birth.Year + 3 // the year they are 3 by 31 March
	if birth.Month > time.March {
		yI3++
	}
	w.grade = min(w.cp.entry, g.lastYear-yI3)
	w.ability = w.r.intn(9)
	w.school = pickSchool(w.r, w.level(), -1)
	for year := yI3 + w.grade; w.grade < school.NumGrades && year <= g.lastYear; year++ {
		if w.cp.died != 0 && year >= w.cp.died {
			break
		}
		w.step(year)
	}
	w.finish()
	return w.years
}

func (w *walk) level() school.Level {
	g, _ := school.GradeAt(w.grade)
	return g.Level
}

// step walks one year: abroad, a gap, or a year at school.
func (w *walk) step(year int) {
	abroad := w.h.plan.foreign && w.cp.doc == idnum.KindCE && year < w.h.plan.arrival
	if year < school.FirstYear || abroad {
		w.grade++ // unrecorded years pass at the normal pace
		return
	}
	if len(w.years) > 0 && year < w.g.lastYear && w.grade >= 3 && (w.r.chance(oddsGap) || w.cp.gap) {
		w.cp.gap = false
		return // not enrolled this year: no record, same grade next year
	}
	w.moveSchool()
	out := w.outcome()
	w.years = append(w.years, w.record(year, out))
	if out != school.Repeat {
		w.grade++
	}
}

// moveSchool changes school at a level change (often) or mid-level
// (rarely, or as the plan forces).
func (w *walk) moveSchool() {
	prev, _ := school.GradeAt(w.grade - 1)
	switch {
	case len(w.years) > 0 && (w.cp.transfers > 0 || w.r.chance(oddsTransfer)):
		w.cp.transfers = max(0, w.cp.transfers-1)
	case w.grade > 0 && prev.Level != w.level() && !(covers(w.school, w.level()) && w.r.chance(oddsStayAtLevel)):
	case !covers(w.school, w.level()):
	default:
		return
	}
	w.school = pickSchool(w.r, w.level(), w.school)
}

// outcome draws the situación final. Inicial and 1.° de primaria always
// promote.
func (w *walk) outcome() school.Situation {
	if w.grade <= 3 {
		return school.Promoted
	}
	repeat, recovery := w.r.chance(oddsRepeat), w.r.chance(oddsRecoveryPri)
	if w.level() == school.Secundaria {
		recovery = w.r.chance(oddsRecoverySec)
	}
	switch {
	case w.cp.repeat:
		w.cp.repeat = false
		return school.Repeat
	case w.cp.recovery:
		w.cp.recovery = false
		return school.Recovery
	case repeat:
		return school.Repeat
	case recovery:
		return school.Recovery
	}
	return school.Promoted
}

// finish sets acta states: the plan's review, and rare random ones.
func (w *walk) finish() {
	if len(w.years) == 0 {
		return
	}
	last := &w.years[len(w.years)-1]
	if w.cp.review || (last.Year == w.g.lastYear && w.r.chance(oddsReview)) {
		last.Acta = school.ActaUnderReview
	}
	for i := range w.years {
		if w.r.chance(oddsRectify) && w.years[i].Acta == school.ActaClosed {
			y := &w.years[i]
			y.Acta = school.ActaRectification
			y.Observations = append(y.Observations, w.note(y.Year, "Rectificación de calificaciones en trámite"))
		}
	}
}
