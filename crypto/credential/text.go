package credential

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// checkText applies the text rule of docs/FORMAT.md ("Text fields") to
// every name, iss and free-text field: valid UTF-8 of at most maxLen
// bytes (at least 1 when required), no code point in refused, and no
// U+0020 at either end. Text from a signed document is shown to people as
// is, so nothing invisible, no line breaks and no look-alike spaces.
func checkText(what, s string, maxLen int, required bool) error {
	switch {
	case required && s == "":
		return fmt.Errorf("%s empty", what)
	case len(s) > maxLen:
		return fmt.Errorf("%s over %d bytes", what, maxLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s not UTF-8", what)
	case s != "" && (s[0] == ' ' || s[len(s)-1] == ' '):
		return fmt.Errorf("%s has surrounding spaces", what)
	}
	for _, r := range s {
		if refusedRune(r) {
			return fmt.Errorf("%s has control, format or space character %U", what, r)
		}
	}
	return nil
}

// refused is every code point the text rule refuses, as closed ranges in
// ascending order: Unicode 15.0.0's general categories Cc and Cf, its
// White_Space property except U+0020, and U+FFFD (the mark of a broken
// conversion). It is a table, not unicode.Is over the runtime's tables, so
// that a Go upgrade to a newer Unicode can never turn a name the issuer
// signed into a malformed one: the rule is pinned here and in
// docs/FORMAT.md, and TestRefusedTable checks it against Go's own tables
// while those are 15.0.0.
var refused = []struct{ lo, hi rune }{
	{0x0000, 0x001F}, {0x007F, 0x00A0}, {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C},
	{0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x0890, 0x0891}, {0x08E2, 0x08E2}, {0x1680, 0x1680},
	{0x180E, 0x180E}, {0x2000, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x2064}, {0x2066, 0x206F},
	{0x3000, 0x3000}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0xFFFD, 0xFFFD}, {0x110BD, 0x110BD},
	{0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
	{0xE0020, 0xE007F},
}

func refusedRune(r rune) bool {
	_, found := slices.BinarySearchFunc(refused, r, func(e struct{ lo, hi rune }, r rune) int {
		switch {
		case e.hi < r:
			return -1
		case e.lo > r:
			return 1
		}
		return 0
	})
	return found
}
