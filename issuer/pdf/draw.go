package pdf

import (
	"github.com/go-pdf/fpdf"
)

// renderer draws one document top to bottom; y is the top of what comes
// next.
type renderer struct {
	f       *fpdf.Fpdf
	d       *Document
	unicode bool // TrueType faces; else Windows-1252 ones
	missed  bool // a character did not fit Windows-1252 (drawn as '?')
	err     error
	code    string // the virtual code, grouped
	y       float64
	size    float64 // current font size, points
}

// align is where a line sits in its box.
type align int

const (
	left align = iota
	center
	right
)

// font selects the face and size for what follows.
func (r *renderer) font(style string, size float64) {
	r.f.SetFont(family, style, size)
	r.size = size
}

// lineH is the height of a line in the current font.
func (r *renderer) lineH() float64 { return r.size * ptMM * lineSpacing }

// enc converts text for the current faces.
func (r *renderer) enc(s string) string {
	if r.unicode {
		return bmpOnly(s)
	}
	out, ok := encode1252(s)
	if !ok {
		r.missed = true
	}
	return out
}

// width measures s in the current font.
func (r *renderer) width(s string) float64 {
	return r.f.GetStringWidth(r.enc(s))
}

// line draws one line of text in the box [x, x+w] whose top is top, and
// checks that it stays on the page (limit is the lowest the box may reach).
func (r *renderer) line(x, top, w float64, s string, a align, limit float64) {
	if s == "" {
		return
	}
	e := r.enc(s)
	tw := r.f.GetStringWidth(e)
	switch a {
	case center:
		x += (w - tw) / 2
	case right:
		x += w - tw
	}
	h := r.lineH()
	if x < marginX-eps || x+tw > pageW-marginX+eps || top < 0 || top+h > limit+eps {
		r.fail()
	}
	sizeMM := r.size * ptMM
	r.f.Text(x, top+(h-sizeMM)/2+ascent*sizeMM, e)
}

// lines draws lines one under the other and returns their height.
func (r *renderer) lines(x, top, w float64, ls []string, a align, limit float64) float64 {
	h := r.lineH()
	for i, s := range ls {
		r.line(x, top+float64(i)*h, w, s, a, limit)
	}
	return float64(len(ls)) * h
}

// paragraph wraps s across the content width from r.y, breaking the page
// between lines when it must, and moves r.y below it.
func (r *renderer) paragraph(s string, style string, size float64, a align, indent float64) {
	r.font(style, size)
	for _, l := range r.wrap(s, contentW-indent) {
		r.room(r.lineH())
		r.font(style, size) // a new page may have changed it
		r.line(marginX+indent, r.y, contentW-indent, l, a, bodyEnd)
		r.y += r.lineH()
	}
}

// room starts a new page unless h fits above the footer; it reports
// whether it did.
func (r *renderer) room(h float64) bool {
	if r.y+h <= bodyEnd+eps {
		return false
	}
	r.newPage()
	return true
}

// fail records a layout bug (ErrOverflow); drawing goes on so that the
// caller gets one error, not a panic.
func (r *renderer) fail() {
	if r.err == nil {
		r.err = ErrOverflow
	}
}

func (r *renderer) fill(c [3]int) { r.f.SetFillColor(c[0], c[1], c[2]) }
func (r *renderer) ink(c [3]int)  { r.f.SetTextColor(c[0], c[1], c[2]) }
func (r *renderer) pen(c [3]int)  { r.f.SetDrawColor(c[0], c[1], c[2]) }
