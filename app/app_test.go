package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/internal/i18n"
)

func TestWindowInEveryLanguage(t *testing.T) {
	a := test.NewTempApp(t)
	for _, l := range i18n.Langs {
		w := NewWindow(a, l)
		if w.Title() != i18n.T(l, "app.title") || w.Title() == "app.title" {
			t.Errorf("%s: title %q", l, w.Title())
		}
		found := false
		for _, o := range test.LaidOutObjects(w.Content()) {
			if lbl, ok := o.(*widget.Label); ok && lbl.Text == i18n.T(l, "app.placeholder") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: placeholder text not shown", l)
		}
		w.Close()
	}
}
