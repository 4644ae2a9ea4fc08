package stats

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/minedu-cla/cla/i18n"
)

// Chart geometry, in viewBox units (the SVG scales to its container).
const (
	chartWidth = 720
	labelX     = 228 // right edge of the labels
	barX       = 236
	barMax     = 400 // the longest bar, for the largest shown count
	rowHeight  = 22
	barHeight  = 14
	top        = 40
	maxLabel   = 30 // runes; longer labels are cut with "…" (the full one is in the tooltip)
)

//go:embed chart.svg.tmpl
var chartSource string

// chartTemplate is html/template: every label and title is escaped for
// its context, so a department name cannot inject markup. Labels are also
// stripped of what XML forbids (control characters), so the output is
// well-formed XML as a file and valid inside an HTML page.
var chartTemplate = template.Must(template.New("chart").Parse(chartSource))

type chart struct {
	ID, Title, Desc                  string
	LegendSmall, LegendWithheld      string
	Width, Height, LegendY, LegendY2 int
	LabelX, BarX, BarHeight          int
	Bars                             []bar
}

type bar struct {
	Label, Short, Value string
	Shown               bool
	Y, TextY, Width     int
	ValueX              int
}

// SVG draws the table as a horizontal bar chart. Only shown counts get a
// bar, scaled to the largest shown count; a suppressed cell gets no bar
// (its length would tell its size), only its text, "<10" or "reservado".
// Every bar has its number written beside it: nothing is told by colour.
func (t *Table) SVG(w io.Writer) error {
	return chartTemplate.Execute(w, t.chart())
}

// InlineSVG returns the chart for a page's html/template, without the
// legend of small and withheld counts (the page says it once for all its
// charts). It is safe to put in HTML as it is: html/template escaped every
// value in it.
func (t *Table) InlineSVG() (template.HTML, error) {
	c := t.chart()
	c.LegendSmall, c.LegendWithheld = "", ""
	c.Height = c.LegendY - 10
	var b strings.Builder
	if err := chartTemplate.Execute(&b, c); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func (t *Table) chart() chart {
	id := "stats-" + t.ID
	if t.Month != "" {
		id += "-" + t.Month
	}
	c := chart{ID: id, Title: xmlSafe(t.Title), Width: chartWidth, LabelX: labelX, BarX: barX, BarHeight: barHeight,
		Desc:        i18n.T(t.lang, "stats.chart.desc", xmlSafe(t.Title), len(t.Rows), t.Total.Text(t.lang)),
		LegendSmall: i18n.T(t.lang, "stats.legend.small"), LegendWithheld: i18n.T(t.lang, "stats.legend.withheld")}
	largest := 0
	for _, r := range t.Rows {
		if r.Cell.Mark == Shown {
			largest = max(largest, r.Cell.Count)
		}
	}
	for i, r := range t.Rows {
		y := top + i*rowHeight
		b := bar{Label: xmlSafe(r.Label), Value: r.Cell.Text(t.lang), Shown: r.Cell.Mark == Shown, Y: y, TextY: y + barHeight - 2}
		b.Short = shorten(b.Label)
		if b.Shown && largest > 0 {
			b.Width = max(1, r.Cell.Count*barMax/largest)
		}
		b.ValueX = barX + b.Width + 6
		c.Bars = append(c.Bars, b)
	}
	c.LegendY = top + len(t.Rows)*rowHeight + 16
	c.LegendY2 = c.LegendY + 16
	c.Height = c.LegendY2 + 12
	return c
}

// xmlSafe drops what XML 1.0 cannot carry even escaped (control
// characters but tab and newline, U+FFFE, U+FFFF) and bytes that are not
// UTF-8; html/template escapes the rest.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF {
			return ' '
		}
		return r
	}, s)
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	return string([]rune(s)[:maxLabel-1]) + "…"
}
