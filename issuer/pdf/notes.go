package pdf

import "github.com/minedu-cla/cla/crypto/credential"

// notes draws the observations and the legend of the marks used.
func (r *renderer) notes() {
	rec := r.d.Record
	r.heading("OBSERVACIONES")
	var obs []string
	for _, y := range rec.Years {
		obs = append(obs, y.Observations...)
	}
	if len(obs) == 0 {
		r.paragraph("Ninguna.", regular, sizeNote, left, 0)
	}
	for _, o := range obs {
		r.bullet(o, sizeNote)
	}
	r.y += gapAfter
	r.heading("LEYENDA")
	for _, n := range legend(rec) {
		r.bullet(n, sizeLegend)
	}
	r.y += gapAfter
}

// legend explains the marks a record uses, the EXO and "-" notes only when
// a cell holds them.
func legend(rec *credential.Record) []string {
	var literal, vigesimal, exo, none bool
	for _, y := range rec.Years {
		literal = literal || y.Scale == credential.Literal || y.Scale == credential.LiteralInicial
		vigesimal = vigesimal || y.Scale == credential.Vigesimal
		for _, m := range append(append([]credential.Mark{}, y.Areas...), y.Transversal...) {
			exo = exo || m.Value == credential.Exonerated
			none = none || m.Value == credential.NoMark
		}
	}
	var out []string
	if literal {
		out = append(out, "Escala literal: AD logro destacado, A logro esperado, B en proceso, C en inicio.")
	}
	if vigesimal {
		out = append(out, "Escala vigesimal: de 00 a 20; la nota mínima aprobatoria es 11.")
	}
	if exo {
		out = append(out, "EXO: exonerado(a) del área de Educación Religiosa.")
	}
	if none {
		out = append(out, "-: el área no tiene calificativo registrado en ese año.")
	}
	return append(out, "Celda en blanco: el área no forma parte del plan de estudios de ese año.")
}

// heading starts a section below the tables, kept with its first line.
func (r *renderer) heading(s string) {
	r.font(bold, sizeVerifyH)
	h := r.lineH()
	r.room(h + sizeNote*ptMM*lineSpacing)
	r.font(bold, sizeVerifyH)
	r.line(marginX, r.y, contentW, s, left, bodyEnd)
	r.y += h + headingGap
}

// bullet draws one list item with a hanging indent, breaking the page
// between its lines when it must.
func (r *renderer) bullet(s string, size float64) {
	r.font(regular, size)
	for i, l := range r.wrap(s, contentW-bulletW) {
		r.room(r.lineH())
		r.font(regular, size)
		if i == 0 {
			r.line(marginX, r.y, bulletW, "•", left, bodyEnd)
		}
		r.line(marginX+bulletW, r.y, contentW-bulletW, l, left, bodyEnd)
		r.y += r.lineH()
	}
}
