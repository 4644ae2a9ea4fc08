package registry

import (
	"strings"
	"unicode"
)

// fold maps accented capitals to their base letter. Ñ folds to N too: many
// requesters type on keyboards without it, and a name is never checked
// alone (document number, both parents' names and the ubigeo go with it).
var fold = map[rune]rune{
	'Á': 'A', 'À': 'A', 'Â': 'A', 'Ä': 'A', 'Ã': 'A', 'Å': 'A',
	'É': 'E', 'È': 'E', 'Ê': 'E', 'Ë': 'E',
	'Í': 'I', 'Ì': 'I', 'Î': 'I', 'Ï': 'I',
	'Ó': 'O', 'Ò': 'O', 'Ô': 'O', 'Ö': 'O', 'Õ': 'O',
	'Ú': 'U', 'Ù': 'U', 'Û': 'U', 'Ü': 'U',
	'Ñ': 'N', 'Ç': 'C', 'Ý': 'Y',
}

// NormalizeName returns the form in which names are compared: upper case,
// accents removed, anything but letters and digits turned into a single
// space, trimmed. "  José  María de la O'Higgins " and "JOSE MARIA DE LA O
// HIGGINS" normalise alike.
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = unicode.ToUpper(r)
		if f, ok := fold[r]; ok {
			r = f
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SameName reports whether a and b are the same name once normalised.
func SameName(a, b string) bool { return NormalizeName(a) == NormalizeName(b) }
