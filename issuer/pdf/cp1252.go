package pdf

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// cp1252Byte returns the Windows-1252 byte of r. Control characters are
// never drawn: C0, DEL and C1 have no byte here.
func cp1252Byte(r rune) (byte, bool) {
	if r < 0x20 || r >= 0x7F && r < 0xA0 {
		return 0, false
	}
	return charmap.Windows1252.EncodeRune(r)
}

// cp1252Rune returns the character of Windows-1252 byte b, and false for
// the control bytes and the five the code page leaves undefined.
func cp1252Rune(b byte) (rune, bool) {
	if b < 0x20 || b == 0x7F {
		return 0, false
	}
	r := charmap.Windows1252.DecodeByte(b)
	return r, r != utf8.RuneError && (r < 0x80 || r >= 0xA0)
}

// cp1252Runes returns every printable character of Windows-1252, in byte
// order: the cut of the fast fonts.
func cp1252Runes() []rune {
	var out []rune
	for b := 0x20; b <= 0xFF; b++ {
		if r, ok := cp1252Rune(byte(b)); ok {
			out = append(out, r)
		}
	}
	return out
}

// encode1252 returns s in Windows-1252, and false (with '?' in place of
// each character it cannot hold) when s needs the Unicode fonts.
func encode1252(s string) (string, bool) {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7F {
		i++
	}
	if i == len(s) {
		return s, true // ASCII: most of a constancia
	}
	b := make([]byte, i, len(s))
	copy(b, s)
	ok := true
	for _, r := range s[i:] {
		c, fits := cp1252Byte(r)
		if !fits {
			c, ok = '?', false
		}
		b = append(b, c)
	}
	return string(b), ok
}

// bmpOnly replaces the characters beyond the Basic Multilingual Plane with
// U+FFFD: fpdf's Unicode fonts map 16-bit codes only (its width table has
// 65,536 entries and indexing it with U+10000 panics).
func bmpOnly(s string) string {
	for i, r := range s {
		if r > 0xFFFF {
			out := []rune(s[:i])
			for _, r := range s[i:] {
				if r > 0xFFFF {
					r = utf8.RuneError
				}
				out = append(out, r)
			}
			return string(out)
		}
	}
	return s
}
