package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Text sizes offered in the settings: the default, large and very large.
// Fyne also honours FYNE_SCALE and the desktop's scale; this setting
// enlarges text and icons only, so more still fits a small laptop screen.
var textScales = []float32{1, 1.3, 1.6}

// sizedTheme is the app's theme with text and icons scaled, and the
// verdict colours made readable on a light desktop. Fyne's light variant
// draws white on a bright green (#43f436: 1.4:1) and green text on white;
// the Windows build, on Windows' light theme, showed "VÁLIDA" barely
// legible. In the light variant the success, warning and error colours
// are the issuer's web colours (6.5–7.0:1 with white, either way round).
// The dark variant's are already readable and are kept.
type sizedTheme struct {
	fyne.Theme
	scale float32
}

var lightVerdict = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameSuccess:             color.NRGBA{0x17, 0x66, 0x3a, 0xff},
	theme.ColorNameWarning:             color.NRGBA{0x7a, 0x4b, 0x00, 0xff},
	theme.ColorNameError:               color.NRGBA{0xb0, 0x0d, 0x23, 0xff},
	theme.ColorNameForegroundOnSuccess: color.White,
	theme.ColorNameForegroundOnWarning: color.White,
	theme.ColorNameForegroundOnError:   color.White,
}

func (t sizedTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := lightVerdict[n]; ok && v == theme.VariantLight {
		return c
	}
	return t.Theme.Color(n, v)
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
	if cur, ok := u.app.Settings().Theme().(sizedTheme); ok && cur.scale == textScales[i] {
		return // nothing to change, and SetTheme re-lays out everything
	}
	u.app.Settings().SetTheme(sizedTheme{Theme: u.baseTheme(), scale: textScales[i]})
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
