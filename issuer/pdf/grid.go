package pdf

// laid is a row broken into lines, with its height.
type laid struct {
	row
	label []string
	cells [][]string
	h     float64
	w     float64 // the table's width
}

// style is how a kind of row is set: label font, cell font, size and
// inset, fill.
type style struct {
	labelFont, cellFont string
	cellSize, cellPad   float64
	fill                [3]int
	filled              bool
}

var styles = map[rowKind]style{
	headRow:   {bold, bold, sizeCell, cellPadX, colourHead, true},
	groupRow:  {bold, bold, sizeCell, cellPadX, colourGroup, true},
	markRow:   {regular, regular, sizeCell, cellPadX, colourWhite, false},
	resultRow: {bold, regular, sizeResult, resultPadX, colourResult, true},
}

// lay wraps a row's label and cells and sizes it, for a table w wide.
func (r *renderer) lay(rw row, w float64) laid {
	st := styles[rw.kind]
	lw := labelW - 2*cellPadX
	if rw.kind == groupRow {
		lw = w - 2*cellPadX
	}
	r.font(st.labelFont, sizeCell)
	l := laid{row: rw, label: r.wrap(rw.label, lw), w: w}
	h := float64(len(l.label)) * r.lineH()
	r.font(st.cellFont, st.cellSize)
	for _, c := range rw.cells {
		ls := r.wrap(c, colW-2*st.cellPad)
		l.cells = append(l.cells, ls)
		h = max(h, float64(len(ls))*r.lineH())
	}
	l.h = h + 2*cellPadY
	return l
}

// table draws a level's table, breaking pages between rows and repeating
// the title and head rows on each new page.
func (r *renderer) table(t table) {
	w := labelW + float64(len(t.years))*colW
	var head, body []laid
	for _, rw := range t.head() {
		head = append(head, r.lay(rw, w))
	}
	for _, rw := range t.body() {
		body = append(body, r.lay(rw, w))
	}
	headH := sectionH
	for _, l := range head {
		headH += l.h
	}
	// Keep the title and head with the first band and área.
	r.room(headH + body[0].h + body[1].h) // body: a band, ≥ 1 área, situación final
	r.section(t.title(false), w)
	r.drawRows(head)
	var band []laid // the band of the rows being drawn, repeated after a page break
	for i, l := range body {
		need := l.h
		if l.kind == groupRow && i+1 < len(body) {
			need += body[i+1].h // a band stays with its first row
		}
		if r.room(need) {
			r.section(t.title(true), w)
			r.drawRows(head)
			if l.kind == markRow {
				r.drawRows(band)
			}
		}
		if l.kind == groupRow {
			band = []laid{l}
		}
		r.drawRows([]laid{l})
	}
	r.schools(t)
	r.y += gapAfter
}

// section draws a table's title bar, as wide as the table.
func (r *renderer) section(title string, w float64) {
	r.fill(colourGrey)
	r.f.Rect(marginX, r.y, w, sectionH, "F")
	r.ink(colourWhite)
	r.font(bold, sizeSection)
	r.line(marginX+cellPadX, r.y+(sectionH-r.lineH())/2, w-2*cellPadX, title, left, bodyEnd)
	r.ink(colourInk)
	r.y += sectionH
}

// drawRows draws rows from r.y down.
func (r *renderer) drawRows(rows []laid) {
	r.pen(colourRule)
	r.f.SetLineWidth(ruleW)
	for _, l := range rows {
		st := styles[l.kind]
		style := "D"
		if st.filled {
			r.fill(st.fill)
			style = "FD"
		}
		lw := labelW
		if l.kind == groupRow {
			lw = l.w
		}
		r.cell(marginX, lw, l.h, l.label, st.labelFont, sizeCell, cellPadX, left, style)
		for i, c := range l.cells {
			r.cell(marginX+labelW+float64(i)*colW, colW, l.h, c, st.cellFont, st.cellSize, st.cellPad, center, style)
		}
		r.y += l.h
	}
}

// cell draws one box and its lines, centred vertically.
func (r *renderer) cell(x, w, h float64, ls []string, font string, size, pad float64, a align, style string) {
	r.f.Rect(x, r.y, w, h, style)
	r.font(font, size)
	top := r.y + (h-float64(len(ls))*r.lineH())/2
	r.lines(x+pad, top, w-2*pad, ls, a, bodyEnd)
}

// schools names the schools behind the códigos modulares of a table.
func (r *renderer) schools(t table) {
	r.y += legendGap
	r.ink(colourMuted)
	for _, s := range t.schools() {
		r.paragraph(s.Code+"-"+s.Annex+": "+s.Name+" (ubigeo "+s.Ubigeo+")", regular, sizeLegend, left, 0)
	}
	r.ink(colourInk)
}
