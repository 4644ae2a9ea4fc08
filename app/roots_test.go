package app

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
)

// overlayTexts are the texts of the dialog on top.
func overlayTexts(w fyne.Window) []string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	var out []string
	for _, o := range test.LaidOutObjects(top) {
		if t := textOf(o); t != "" && o.Visible() {
			out = append(out, t)
		}
	}
	return out
}

// overlayButton finds a button of the dialog on top by its text.
func overlayButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	t.Fatalf("no button %q in the dialog; it shows %q", text, overlayTexts(w))
	return nil
}

func overlayEntry(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if e, ok := o.(*widget.Entry); ok {
				return e
			}
		}
	}
	t.Fatal("no text box in the dialog")
	return nil
}

// TestPinRoot: from the trust tab, a root key pasted as text shows its
// fingerprint (the one cla-verify and cla-keys print), asks before
// pinning, and writes the roots file cla-verify reads; cancelling writes
// nothing; text that is no key cannot be pinned. The settings reach the
// same dialog.
func TestPinRoot(t *testing.T) {
	store := filepath.Join(t.TempDir(), "cla-verificador", "trust.db")
	var e *env
	e = newEnv(t, func(o *Options) {
		o.Store = store
		// As FromConfig does: open the engine again on the pinned roots.
		o.Reopen = func() (*verifier.Engine, int, error) {
			roots, err := setup.PinnedRoots([]string{base64.RawURLEncoding.EncodeToString(e.is.RootPublic())}, store)
			if err != nil {
				return nil, 0, err
			}
			eng, err := verifier.Open(context.Background(), verifier.Options{Roots: roots, Now: func() time.Time { return e.now }})
			return eng, len(roots), err
		}
	})
	w := e.ui.win
	other := testissuer.New("minedu", issuedAt).RootPublic()
	fp := keyset.Fingerprint(other)
	tr := func(key string, args ...any) string { return i18n.T(i18n.ES, key, args...) }

	e.ui.selectTab(tabTrust)
	open := findButton(t, e, tr("app.roots.open"))
	test.Tap(open)
	entry := overlayEntry(t, w)

	test.Type(entry, "no es una clave")
	if pin := overlayButton(t, w, tr("app.roots.pin")); !pin.Disabled() {
		t.Error("text that is no key can be pinned")
	}
	has(t, overlayTexts(w), strings.SplitN(tr("app.roots.bad"), ":", 2)[0])

	entry.SetText("  " + base64.RawURLEncoding.EncodeToString(other) + "\n")
	has(t, overlayTexts(w), tr("app.roots.fingerprint", fp))
	test.Tap(overlayButton(t, w, tr("app.roots.pin")))
	// The confirmation repeats the fingerprint; "Cancelar" pins nothing.
	has(t, overlayTexts(w), fp)
	test.Tap(overlayButton(t, w, tr("app.roots.no")))
	if _, err := os.Stat(setup.RootsFile(store)); err == nil {
		t.Fatal("cancelled, yet the roots file was written")
	}
	test.Tap(overlayButton(t, w, tr("app.roots.pin")))
	test.Tap(overlayButton(t, w, tr("app.roots.yes")))

	roots, err := setup.PinnedRoots(nil, store)
	if err != nil || len(roots) != 1 || !roots[0].Equal(other) {
		t.Fatalf("roots pinned: %v, %v", roots, err)
	}
	if e.ui.sync.note != tr("app.roots.pinned", fp) || e.ui.opts.Roots != 2 {
		t.Errorf("after pinning: note %q, %d roots in use", e.ui.sync.note, e.ui.opts.Roots)
	}

	// The settings open the same dialog, which lists the pinned key.
	e.ui.selectTab(tabSettings)
	test.Tap(findButton(t, e, tr("app.roots.open")))
	has(t, overlayTexts(w), fp)
	has(t, overlayTexts(w), tr("roots.source.file"))
}

// findButton finds a button of the window by its text.
func findButton(t *testing.T, e *env, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(e.ui.win.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q; the screen shows %q", text, e.texts())
	return nil
}

func has(t *testing.T, texts []string, want string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, want) {
			return
		}
	}
	t.Errorf("%q is not shown; the dialog shows %q", want, texts)
}
