package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/verifier"
)

// verdict groups the statuses by what the person at the desk does.
type verdict int

const (
	accept  verdict = iota // valid
	refuse                 // revoked, forged, key problems, not found
	unsure                 // stale, unknown key: sync, then try again
	notCode                // malformed: no CLA code was read
)

// allStatuses are every status, for layouts sized to the longest word.
var allStatuses = []credential.Status{credential.Valid, credential.Revoked, credential.InvalidSignature,
	credential.UnknownKey, credential.KeyCompromised, credential.KeyNotValid, credential.Malformed,
	credential.Stale, credential.NotFound}

func verdictOf(s credential.Status) verdict {
	switch s {
	case credential.Valid:
		return accept
	case credential.Stale, credential.UnknownKey:
		return unsure
	case credential.Malformed:
		return notCode
	}
	return refuse
}

// statusIcon is the status's icon: a tick, a cross, a warning sign or a
// question mark. Always shown beside the status in words.
func statusIcon(s credential.Status) fyne.Resource {
	switch verdictOf(s) {
	case accept:
		return theme.ConfirmIcon()
	case unsure:
		return theme.WarningIcon()
	case notCode:
		return theme.QuestionIcon()
	}
	return theme.CancelIcon()
}

// statusColors are the banner's background and foreground.
func statusColors(s credential.Status) (bg, fg fyne.ThemeColorName) {
	switch verdictOf(s) {
	case accept:
		return theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
	case unsure:
		return theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
	case notCode:
		return theme.ColorNameDisabledButton, theme.ColorNameForeground
	}
	return theme.ColorNameError, theme.ColorNameForegroundOnError
}

func statusImportance(s credential.Status) widget.Importance {
	switch verdictOf(s) {
	case accept:
		return widget.SuccessImportance
	case unsure:
		return widget.WarningImportance
	case notCode:
		return widget.MediumImportance
	}
	return widget.DangerImportance
}

// age says a duration the way people do: minutes, hours or days.
func (u *UI) age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return u.t("dur.minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return u.t("dur.hours", int(d.Hours()))
	}
	return u.t("dur.days", int(d.Hours()/24))
}

func day(t time.Time) string { return t.Local().Format("2006-01-02") }

func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// grade says a year's grade: "3.°" in primaria, "4 años" in inicial.
func (u *UI) grade(level string, g int) string {
	if level == credential.Inicial.String() {
		return u.t("grade.age", g)
	}
	return u.t("grade.n", g)
}

// studentName is the holder's name as printed, or a dash.
func studentName(r verifier.Result) string {
	if r.Constancia == nil || strings.TrimSpace(r.Constancia.Student.FullName) == "" {
		return "—"
	}
	return r.Constancia.Student.FullName
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameSubHeadingText
	l.TextStyle.Bold = true
	l.Wrapping = fyne.TextWrapWord
	return l
}
