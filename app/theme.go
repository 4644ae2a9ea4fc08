package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Text sizes offered in the settings: the default, large and very large.
// Fyne also honours FYNE_SCALE and the desktop's scale; this setting
// enlarges text and icons only, so more still fits a small laptop screen.
var textScales = []float32{1, 1.3, 1.6}

// sizedTheme is the app's theme with text and icons scaled.
type sizedTheme struct {
	fyne.Theme
	scale float32
}

func (t sizedTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.scale
	}
	return s
}

// applyTextSize sets the saved text size on the app's theme.
func (u *UI) applyTextSize() {
	i := u.app.Preferences().IntWithFallback(prefTextSize, 0)
	if i < 0 || i >= len(textScales) {
		i = 0
	}
	base := u.baseTheme()
	if i == 0 {
		if _, sized := u.app.Settings().Theme().(sizedTheme); sized {
			u.app.Settings().SetTheme(base)
		} // else: nothing to change, and SetTheme re-lays out everything
		return
	}
	u.app.Settings().SetTheme(sizedTheme{Theme: base, scale: textScales[i]})
}

// baseTheme is the theme before scaling (the test theme under tests).
func (u *UI) baseTheme() fyne.Theme {
	t := u.app.Settings().Theme()
	for {
		s, ok := t.(sizedTheme)
		if !ok {
			return t
		}
		t = s.Theme
	}
}
