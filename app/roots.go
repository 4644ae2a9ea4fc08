package app

import (
	"crypto/ed25519"
	"errors"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/verifier/setup"
)

// rootsDialog pins a root key, from a file or pasted text: it shows the
// key's fingerprint (keyset.Fingerprint, the string cla-verify status and
// cla-keys print, and MINEDU reads out on the phone) and asks before
// pinning it in the roots file beside the store (setup.Pin), the file
// cla-verify reads too.
type rootsDialog struct {
	u     *UI
	entry *widget.Entry
	fp    *widget.Label
	pin   *widget.Button
	key   ed25519.PublicKey
	d     dialog.Dialog
}

// pinRootButton opens the dialog (on the trust tab and in the settings).
func (u *UI) pinRootButton() *widget.Button {
	return widget.NewButtonWithIcon(u.t("app.roots.open"), theme.ContentAddIcon(), u.showPinRoot)
}

func (u *UI) showPinRoot() {
	r := &rootsDialog{u: u}
	r.entry = widget.NewMultiLineEntry()
	r.entry.SetPlaceHolder(u.t("app.roots.paste"))
	r.entry.Wrapping = fyne.TextWrapBreak
	r.entry.SetMinRowsVisible(2)
	r.entry.OnChanged = func(s string) {
		if strings.TrimSpace(s) == "" {
			r.show(nil, nil)
			return
		}
		r.show(setup.ParseRootText(s))
	}
	r.fp = widget.NewLabel("")
	r.fp.Wrapping = fyne.TextWrapWord
	r.fp.TextStyle.Monospace = true
	r.pin = widget.NewButtonWithIcon(u.t("app.roots.pin"), theme.ConfirmIcon(), r.confirm)
	r.pin.Importance = widget.HighImportance
	r.pin.Disable()
	file := widget.NewButtonWithIcon(u.t("app.roots.file"), theme.FolderOpenIcon(), r.chooseFile)
	content := container.NewVBox(
		wrapped(u.t("app.roots.explain")),
		r.current(),
		widget.NewSeparator(),
		r.entry,
		container.NewHBox(file),
		r.fp,
		container.NewHBox(r.pin),
	)
	r.d = dialog.NewCustom(u.t("app.roots.title"), u.t("app.roots.close"), content, u.win)
	r.d.Resize(fyne.NewSize(720, 0).Max(content.MinSize()))
	r.d.Show()
}

// current lists the roots pinned now, each with its fingerprint and where
// it comes from.
func (r *rootsDialog) current() fyne.CanvasObject {
	u := r.u
	box := container.NewVBox(widget.NewLabelWithStyle(u.t("app.roots.current"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	keys := u.opts.Engine.State().Roots()
	if len(keys) == 0 {
		box.Add(wrapped(u.t("app.roots.none")))
	}
	known, _ := setup.Roots(nil, u.opts.Store)
	for _, k := range keys {
		source := setup.SourceFlag
		for _, r := range known {
			if r.Key.Equal(k) {
				source = r.Source
			}
		}
		l := widget.NewLabel(keyset.Fingerprint(k) + "  (" + u.t("roots.source."+source) + ")")
		l.TextStyle.Monospace = true
		box.Add(l)
	}
	return box
}

// show shows the key read, or why none was.
func (r *rootsDialog) show(k ed25519.PublicKey, err error) {
	r.key = nil
	r.pin.Disable()
	r.fp.Importance = widget.MediumImportance
	switch {
	case err != nil:
		r.fp.Importance = widget.DangerImportance
		r.fp.SetText(r.u.t("app.roots.bad"))
	case k == nil:
		r.fp.SetText("")
	default:
		r.key = k
		r.fp.SetText(r.u.t("app.roots.fingerprint", keyset.Fingerprint(k)))
		r.pin.Enable()
	}
	r.fp.Refresh()
}

func (r *rootsDialog) chooseFile() {
	u := r.u
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		if st, err := os.Stat(path); err == nil && st.Size() > 1<<16 {
			r.show(nil, setup.ErrBadRoot)
			return
		}
		r.entry.OnChanged = nil // the file's key, not the text, is shown
		r.entry.SetText("")
		r.entry.OnChanged = func(s string) { r.show(setup.ParseRootText(s)) }
		r.show(setup.ParseRoot(path))
	}, u.win)
	d.Resize(u.win.Canvas().Size())
	d.Show()
}

// confirm asks, fingerprint in view, before pinning.
func (r *rootsDialog) confirm() {
	u, k := r.u, r.key
	if k == nil {
		return
	}
	msg := wrapped(u.t("app.roots.confirm.text", keyset.Fingerprint(k)))
	c := dialog.NewCustomConfirm(u.t("app.roots.confirm.title"), u.t("app.roots.yes"), u.t("app.roots.no"),
		container.NewVBox(msg), func(ok bool) {
			if ok {
				r.d.Hide()
				u.pinRoot(k)
			}
		}, u.win)
	c.Resize(fyne.NewSize(560, 0).Max(msg.MinSize()))
	c.Show()
}

// pinRoot writes k to the roots file and, when nothing else is using the
// engine, opens it again so the key counts at once.
func (u *UI) pinRoot(k ed25519.PublicKey) {
	fp := keyset.Fingerprint(k)
	if u.opts.Store == "" {
		u.sync.note, u.sync.bad = u.t("app.roots.err", errors.New("no store")), true
		u.refreshTrust()
		return
	}
	added, err := setup.Pin(u.opts.Store, k)
	switch {
	case err != nil:
		u.sync.note, u.sync.bad = u.t("app.roots.err", err.Error()), true
	case len(added) == 0:
		u.sync.note, u.sync.bad = u.t("app.roots.already", fp), false
	case u.opts.Reopen == nil || u.sync.running:
		u.sync.note, u.sync.bad = u.t("app.roots.restart", fp), false
	default:
		if e, n, err := u.opts.Reopen(); e != nil {
			u.setEngine(e, n, err)
		}
		u.sync.note, u.sync.bad = u.t("app.roots.pinned", fp), false
	}
	u.refreshTrust()
}
