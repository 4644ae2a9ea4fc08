package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/minedu-cla/cla/crypto/credential"
)

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestVerdictContrast: the verdict banner's words are readable on their
// colour (WCAG AA large text, 3:1; we ask 4.5) on a light and a dark
// desktop, with Fyne's own theme as the app runs it. Fyne's light green
// gave 1.4:1 (seen in the Windows build under Wine).
func TestVerdictContrast(t *testing.T) {
	th := sizedTheme{Theme: theme.DefaultTheme(), scale: 1}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, s := range []credential.Status{credential.Valid, credential.Stale, credential.Revoked, credential.InvalidSignature} {
			bg, fg := statusColors(s)
			if c := contrast(th.Color(bg, v), th.Color(fg, v)); c < 4.5 {
				t.Errorf("variant %d, %s: banner contrast %.1f:1", v, s, c)
			}
			// The same colour as text (a batch row's word) on the background.
			if c := contrast(th.Color(bg, v), th.Color(theme.ColorNameBackground, v)); c < 3 {
				t.Errorf("variant %d, %s: status colour on the background %.1f:1", v, s, c)
			}
		}
	}
}
