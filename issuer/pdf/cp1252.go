package pdf

import "unicode/utf8"

// cp1252High lists the characters of Windows-1252 bytes 0x80–0x9F (0 where
// the code page leaves a byte undefined); bytes 0x20–0x7E and 0xA0–0xFF are
// the Unicode code points of the same value.
var cp1252High = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// cp1252Byte returns the Windows-1252 byte of r.
func cp1252Byte(r rune) (byte, bool) {
	switch {
	case r >= 0x20 && r < 0x7F, r >= 0xA0 && r <= 0xFF:
		return byte(r), true
	case r < 0x20 || r >= 0x7F && r < 0xA0:
		return 0, false // control characters, never drawn
	}
	for i, c := range cp1252High {
		if c == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// cp1252Runes returns every printable character of Windows-1252, in byte
// order: the cut of the fast fonts.
func cp1252Runes() []rune {
	var out []rune
	for b := 0x20; b <= 0xFF; b++ {
		r := rune(b)
		if b >= 0x80 && b < 0xA0 {
			r = cp1252High[b-0x80]
		}
		if r != 0 && r != 0x7F {
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
