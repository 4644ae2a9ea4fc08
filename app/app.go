// Package app is the desktop verifier's user interface. It calls the
// verifier engine and shows its results; it does no cryptography itself.
package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/internal/i18n"
)

// NewWindow returns the main window of the verifier in language l.
func NewWindow(a fyne.App, l i18n.Lang) fyne.Window {
	w := a.NewWindow(i18n.T(l, "app.title"))
	title := widget.NewLabelWithStyle(i18n.T(l, "app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(i18n.T(l, "app.placeholder"))
	body.Wrapping = fyne.TextWrapWord
	body.Alignment = fyne.TextAlignCenter
	w.SetContent(container.NewVBox(title, body))
	w.Resize(fyne.NewSize(640, 420))
	return w
}
