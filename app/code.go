package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/verifier"
)

// codeScreen looks a typed virtual code up at the issuer. The check
// symbol catches a typo before anyone is asked; offline, it says so.
type codeScreen struct {
	u       *UI
	view    fyne.CanvasObject
	entry   *widget.Entry
	button  *widget.Button
	message *widget.Label
	busy    *widget.ProgressBarInfinite
}

func newCodeScreen(u *UI) *codeScreen {
	c := &codeScreen{u: u}
	c.entry = widget.NewEntry()
	c.entry.SetPlaceHolder("7K3M-9QXT-2HBN-M")
	c.entry.OnSubmitted = func(string) { c.lookup() }
	c.button = widget.NewButtonWithIcon(u.t("app.code.submit"), theme.SearchIcon(), c.lookup)
	c.button.Importance = widget.HighImportance
	c.message = wrapped("")
	c.busy = widget.NewProgressBarInfinite()
	c.busy.Stop()
	c.busy.Hide()
	form := widget.NewForm(widget.NewFormItem(u.t("app.code.label"), c.entry))
	form.Items[0].HintText = u.t("app.code.hint")
	c.view = container.NewVBox(
		heading(u.t("app.code.title")),
		wrapped(u.t("app.code.intro")),
		form,
		container.NewHBox(c.button),
		c.busy,
		c.message,
	)
	return c
}

func (c *codeScreen) say(text string, imp widget.Importance) {
	c.message.Importance = imp
	c.message.SetText(text)
}

func (c *codeScreen) lookup() {
	u := c.u
	code, err := vcode.Normalize(c.entry.Text)
	switch {
	case errors.Is(err, vcode.ErrCheck):
		c.say(u.t("app.code.typo"), widget.DangerImportance)
		return
	case err != nil:
		c.say(u.t("app.code.format"), widget.DangerImportance)
		return
	}
	issuer := u.issuer()
	c.say(u.t("app.code.asking", issuer), widget.MediumImportance)
	c.button.Disable()
	c.busy.Show()
	c.busy.Start()
	var r verifier.Result
	u.bg(func() { r, err = u.opts.Lookup(u.ctx, issuer, code) }, func() {
		c.button.Enable()
		c.busy.Stop()
		c.busy.Hide()
		switch {
		case errors.Is(err, verifier.ErrOffline):
			c.say(u.t("app.code.offline", issuer), widget.WarningImportance)
		case err != nil:
			c.say(u.t("app.code.failed", err.Error()), widget.DangerImportance)
		default:
			c.say("", widget.MediumImportance)
			c.entry.SetText("")
			s := shown{Result: r, Online: issuer, At: u.opts.Now()}
			u.history.add(s)
			u.showResult(s)
		}
	})
}
