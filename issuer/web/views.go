package web

import (
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
)

type yearRow struct {
	Year                         int
	Level, Grade, School, Result string
}

// YearsView is a student and their years, as the preview and the verify
// result show them.
type YearsView struct {
	Lang, Name, Document, Email string
	Years                       []yearRow
	// CanRegenerate: the student holds an active constancia, so the
	// preview offers a new code and QR (a first request has none to replace).
	CanRegenerate bool
}

type doneView struct {
	Code, Spelled         string
	Existing, Regenerated bool
}

type resultView struct {
	YearsView
	Class, Mark, Word, Help, Code, Issued string
	PDF                                   bool
}

func NewYearsView(l i18n.Lang, st credential.Student, years []credential.RecordYear) YearsView {
	v := YearsView{Lang: string(l), Name: st.FullName(), Document: st.DocType.String() + " " + st.DocNumber}
	for _, y := range years {
		grade := i18n.T(l, "grade.n", y.Grade)
		if y.Level == credential.Inicial {
			grade = i18n.T(l, "grade.age", y.Grade)
		}
		v.Years = append(v.Years, yearRow{Year: y.Year, Level: i18n.T(l, "level."+y.Level.String()), Grade: grade,
			School: y.School.Name + " (" + y.School.Code + "-" + y.School.Annex + ")",
			Result: i18n.T(l, "result."+y.Result.String())})
	}
	return v
}

// spelled reads a code symbol by symbol for screen readers ("7 K 3 M…").
func spelled(code string) string {
	out := make([]byte, 0, 2*len(code))
	for i := 0; i < len(code); i++ {
		if code[i] == '-' {
			continue
		}
		out = append(out, code[i], ' ')
	}
	return string(out)
}

func FormatCode(code string) string { return vcode.Format(code) }
