package app

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
)

// shown is a result on screen and how it was obtained.
type shown struct {
	Result verifier.Result `json:"result"`
	// Online is the issuer asked for a typed code ("" for offline checks).
	Online string    `json:"online,omitempty"`
	At     time.Time `json:"at"`
	// Was is the verdict shown before the trust data changed and the
	// result was judged again ("" when it never changed).
	Was credential.Status `json:"was,omitempty"`
	// fromBatch: "back" returns to the batch list rather than "verify
	// another".
	fromBatch bool
}

// current returns s judged against the trust data held now (a sync or an
// import may have landed since it was judged), noting a changed verdict.
func (u *UI) current(s shown) shown {
	if s.Online != "" {
		return s
	}
	r, changed := u.opts.Engine.Rejudge(s.Result)
	if changed && r.Status != s.Result.Status && s.Was == "" {
		s.Was = s.Result.Status
	}
	s.Result = r
	return s
}

// showResult replaces the tabs with the result page.
func (u *UI) showResult(s shown) {
	s = u.current(s)
	u.showing = &s
	if u.scan != nil {
		u.scan.stop()
	}
	label, icon := u.t("app.result.again"), theme.NavigateBackIcon()
	if s.fromBatch {
		label = u.t("app.result.backlist")
	}
	again := widget.NewButtonWithIcon(label+"  (Esc)", icon, u.back)
	again.Importance = widget.HighImportance
	u.resultScroll = container.NewVScroll(u.resultView(s))
	page := container.NewBorder(nil, container.NewPadded(again), nil, nil, u.resultScroll)
	u.content.Objects = []fyne.CanvasObject{page}
	u.content.Refresh()
	u.win.Canvas().Focus(again)
	// The verdict in the title too: the taskbar and a screen reader's
	// window list say it, and so does xwininfo in the Wine test.
	u.win.SetTitle(u.t("status."+string(s.Result.Status)) + " — " + u.t("app.title"))
}

// back leaves the result page for the tabs, as they were.
func (u *UI) back() {
	u.showing = nil
	u.win.SetTitle(u.t("app.title"))
	u.content.Objects = []fyne.CanvasObject{u.tabs}
	u.content.Refresh()
	u.tabChanged()
}

// resultView lays out a result from the most to the least important: the
// verdict (words, icon and colour, never colour alone), what to do, who
// and what the constancia is, every year, the grades, then the key, the
// trust data and the warnings.
func (u *UI) resultView(s shown) fyne.CanvasObject {
	r := s.Result
	box := container.NewVBox(u.banner(r))
	if s.Was != "" && s.Was != r.Status {
		w := wrapped(u.t("app.result.rejudged", u.t("status."+string(s.Was)), r.Trust.KeysetSeq, r.Trust.StatusSeq))
		w.Importance = widget.WarningImportance
		w.TextStyle.Bold = true
		box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, w))
	}
	box.Add(wrapped(u.t(r.HelpKey())))
	if r.Reason != "" {
		box.Add(wrapped(u.t("reason." + r.Reason)))
	}
	for _, w := range r.Warnings {
		warn := wrapped(u.t("app.result.warning", u.t("warn."+w)))
		warn.Importance = widget.WarningImportance
		box.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, warn))
	}
	if c := r.Constancia; c != nil {
		box.Add(widget.NewSeparator())
		box.Add(u.holder(c))
		if len(c.Years) > 0 {
			box.Add(heading(u.t("app.result.years")))
			box.Add(u.yearsTable(c.Years))
		}
		if c.Record != nil {
			box.Add(heading(u.t("app.result.record", len(c.Record.Years))))
			for _, y := range c.Record.Years {
				box.Add(u.recordYear(y))
			}
		} else if len(c.Years) > 0 && s.Online == "" {
			box.Add(wrapped(u.t("app.result.norecord")))
		}
	}
	box.Add(widget.NewSeparator())
	box.Add(wrapped(u.provenance(s)))
	if r.Source != "" {
		src := r.Source
		if r.Page > 0 {
			src = u.t("result.page", src, r.Page)
		}
		box.Add(wrapped(u.t("app.result.source", src)))
	}
	if r.Detail != "" && verdictOf(r.Status) != accept && u.lang == i18n.EN { // technical English: not in es or qu
		d := wrapped(u.t("app.result.detail", r.Detail))
		d.SizeName = theme.SizeNameCaptionText
		box.Add(d)
	}
	return box
}

// banner is the verdict: a large icon and the status in capitals on the
// status colour.
func (u *UI) banner(r verifier.Result) fyne.CanvasObject {
	bgName, fgName := statusColors(r.Status)
	v := u.app.Settings().ThemeVariant()
	th := u.app.Settings().Theme()
	bg := canvas.NewRectangle(th.Color(bgName, v))
	bg.CornerRadius = theme.InputRadiusSize()
	word := canvas.NewText(u.t("status."+string(r.Status)), th.Color(fgName, v))
	word.TextSize = 2 * theme.TextHeadingSize()
	word.TextStyle.Bold = true
	icon := canvas.NewImageFromResource(theme.NewColoredResource(statusIcon(r.Status), fgName))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(word.MinSize().Height))
	row := container.NewHBox(icon, word)
	return container.NewStack(bg, container.NewPadded(container.NewPadded(row)))
}

// holder is the student and the constancia's identity.
func (u *UI) holder(c *verifier.Constancia) fyne.CanvasObject {
	st := c.Student
	name := widget.NewLabel(st.FullName)
	name.SizeName = theme.SizeNameHeadingText
	name.TextStyle.Bold = true
	name.Wrapping = fyne.TextWrapWord
	doc := strings.TrimSpace(st.DocType + " " + st.DocNumber)
	form := widget.NewForm(
		widget.NewFormItem(u.t("app.result.document"), widget.NewLabel(doc)),
		widget.NewFormItem(u.t("app.result.code"), widget.NewLabel(c.Code)),
	)
	if !c.IssuedAt.IsZero() {
		issued := day(c.IssuedAt)
		if c.Issuer != "" {
			issued = u.t("app.result.issuedby", issued, c.Issuer)
		}
		form.Append(u.t("app.result.issued"), widget.NewLabel(issued))
	}
	return container.NewVBox(name, form)
}

// yearsTable is the per-year summary the QR code carries.
func (u *UI) yearsTable(years []verifier.Year) fyne.CanvasObject {
	g := container.New(layout.NewGridLayoutWithColumns(4),
		bold(u.t("web.col.year")), bold(u.t("web.col.level")), bold(u.t("web.col.grade")), bold(u.t("web.col.result")))
	for _, y := range years {
		g.Add(widget.NewLabel(fmt.Sprint(y.Year)))
		g.Add(widget.NewLabel(u.t("level." + y.Level)))
		g.Add(widget.NewLabel(u.grade(y.Level, y.Grade)))
		g.Add(widget.NewLabel(u.t("result." + y.Result)))
	}
	return g
}

// recordYear is one year of the full signed record: school, every area
// and its calificativo, observations.
func (u *UI) recordYear(y verifier.RecordYear) fyne.CanvasObject {
	title := bold(fmt.Sprintf("%d · %s %s · %s", y.Year, u.t("level."+y.Level), u.grade(y.Level, y.Grade), u.t("result."+y.Result)))
	title.Wrapping = fyne.TextWrapWord
	school := wrapped(u.t("app.result.school", y.School, y.SchoolCode, y.Ubigeo))
	school.SizeName = theme.SizeNameCaptionText
	marks := container.New(layout.NewFormLayout())
	for _, m := range append(append([]verifier.Mark(nil), y.Areas...), y.Transversal...) {
		marks.Add(widget.NewLabel(m.Area)) // no wrapping: a form column is as wide as its widest label
		marks.Add(bold(m.Value))
	}
	box := container.NewVBox(title, school, marks)
	for _, o := range y.Observations {
		box.Add(wrapped(u.t("app.result.observation", o)))
	}
	return widget.NewCard("", "", box)
}

// provenance says what the result was judged with: the key and the age of
// the trust data, or the issuer asked online.
func (u *UI) provenance(s shown) string {
	r := s.Result
	switch {
	case s.Online != "":
		return u.t("app.result.online", s.Online, stamp(s.At))
	case r.Key != nil && r.Trust.KeysOnly:
		return u.t("cli.keysonly", r.Key.ID, u.t("keys.status."+r.Key.Status))
	case r.Key != nil && r.Trust.StatusSeq > 0:
		return u.t("cli.key", r.Key.ID, u.t("keys.status."+r.Key.Status), r.Trust.KeysetSeq, u.age(r.Trust.KeysetAge), r.Trust.StatusSeq, u.age(r.Trust.Age))
	case r.Key != nil:
		return u.t("app.result.keyonly", r.Key.ID, u.t("keys.status."+r.Key.Status), r.Trust.KeysetSeq, u.age(r.Trust.KeysetAge))
	case r.Trust.StatusSeq > 0:
		return u.t("app.result.trust", r.Trust.KeysetSeq, u.age(r.Trust.KeysetAge), r.Trust.StatusSeq, u.age(r.Trust.Age))
	}
	return u.t("app.result.notrust")
}

func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
