package pdf

import (
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
)

// newPage starts a page; pages after the first repeat who the constancia
// is about, so that a loose page still says so.
func (r *renderer) newPage() {
	r.f.AddPage()
	r.y = marginTop
	if r.f.PageNo() > 1 {
		r.runningHeader()
	}
}

// firstPage draws the brand band, the title and the statement.
func (r *renderer) firstPage() {
	r.newPage()
	r.brand()
	r.y += brandH + titleGap
	r.ink(colourInk)
	r.font(bold, sizeTitle)
	r.line(marginX, r.y, contentW, "CONSTANCIA DE LOGROS DE APRENDIZAJE", center, bodyEnd)
	r.y += r.lineH()
	r.paragraph("EDUCACIÓN BÁSICA REGULAR · "+levelsLine(r.d.Record), bold, sizeSubtitle, center, 0)
	r.y += gapAfter
	r.statement()
}

// brand draws the Peruvian state's band (red PERÚ, grey ministry) and, on
// the right, the virtual code.
func (r *renderer) brand() {
	f := r.f
	const peruW, ministryW = brandPeruW, brandMinistryW
	r.fill(colourRed)
	f.Rect(marginX, r.y, peruW, brandH, "F")
	r.fill(colourGrey)
	f.Rect(marginX+peruW, r.y, ministryW, brandH, "F")
	r.ink(colourWhite)
	r.font(bold, sizeBrand+1)
	r.line(marginX, r.y+(brandH-r.lineH())/2, peruW, "PERÚ", center, bodyEnd)
	r.font(bold, sizeBrand)
	r.line(marginX+peruW, r.y+(brandH-r.lineH())/2, ministryW, "MINISTERIO DE EDUCACIÓN", center, bodyEnd)
	r.ink(colourMuted)
	r.font(regular, sizeLegend)
	r.line(marginX, r.y, contentW, "CÓDIGO VIRTUAL", right, bodyEnd)
	r.ink(colourInk)
	r.font(bold, sizeCode+2)
	r.line(marginX, r.y+brandH-r.lineH(), contentW, r.code, right, bodyEnd)
}

// statement is the sentence the tables complete, with the student's name
// set apart.
func (r *renderer) statement() {
	st := r.d.Record.Student
	r.ink(colourInk)
	r.paragraph("El Ministerio de Educación hace constar que, de acuerdo con la información registrada en el "+
		"Sistema de Información de Apoyo a la Gestión de la Institución Educativa (SIAGIE), el/la estudiante",
		regular, sizeBody, left, 0)
	r.y += nameGap
	r.paragraph(st.FullName(), bold, sizeName, center, 0)
	r.y += nameGap
	r.paragraph("con "+docLabel(st)+", registra los siguientes calificativos en la Educación Básica Regular:",
		regular, sizeBody, left, 0)
	r.y += gapAfter
}

// docLabel names the student's identity document: "DNI N.° 07418529".
func docLabel(st credential.Student) string {
	switch st.DocType {
	case credential.CE:
		return "carné de extranjería N.° " + st.DocNumber
	case credential.StudentCode:
		return "código del estudiante N.° " + st.DocNumber
	}
	return "DNI N.° " + st.DocNumber
}

// levelsLine names the levels present: "NIVELES PRIMARIA Y SECUNDARIA".
func levelsLine(rec *credential.Record) string {
	var names []string
	for _, l := range []credential.Level{credential.Inicial, credential.Primaria, credential.Secundaria} {
		for _, y := range rec.Years {
			if y.Level == l {
				names = append(names, l.String())
				break
			}
		}
	}
	if len(names) == 1 {
		return "NIVEL " + names[0]
	}
	return "NIVELES " + strings.Join(names[:len(names)-1], ", ") + " Y " + names[len(names)-1]
}

// runningHeader heads pages 2 onwards: title, student and code.
func (r *renderer) runningHeader() {
	st := r.d.Record.Student
	r.ink(colourMuted)
	r.font(bold, sizeRunning)
	r.line(marginX, r.y, contentW, "CONSTANCIA DE LOGROS DE APRENDIZAJE (continuación)", left, bodyEnd)
	r.line(marginX, r.y, contentW, r.code, right, bodyEnd)
	r.y += r.lineH()
	r.font(regular, sizeRunning)
	r.paragraph(st.FullName()+" · "+docLabel(st), regular, sizeRunning, left, 0)
	r.pen(colourRule)
	r.f.SetLineWidth(ruleW)
	r.f.Line(marginX, r.y+footerGap, pageW-marginX, r.y+footerGap)
	r.ink(colourInk)
	r.y += gapAfter + footerGap
}

// footers closes every page, once the page count is known: the code
// and "Página n de m". (fpdf's page-count alias would be measured as
// "{nb}" and misalign the right edge.) SetFont and the colours write their
// operators again, so drawing on an earlier page starts from a known state.
func (r *renderer) footers() {
	n := r.f.PageCount()
	for p := 1; p <= n; p++ {
		r.f.SetPage(p)
		r.fill(colourWhite)
		r.pen(colourRule)
		r.f.SetLineWidth(ruleW)
		r.f.Line(marginX, footerTop, pageW-marginX, footerTop)
		r.ink(colourMuted)
		r.font(regular, sizeFooter)
		r.line(marginX, footerTop+footerGap, contentW, "Constancia de Logros de Aprendizaje · Código virtual "+r.code, left, footerLimit)
		r.line(marginX, footerTop+footerGap, contentW, "Página "+itoa(p)+" de "+itoa(n), right, footerLimit)
	}
}
