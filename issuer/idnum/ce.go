package idnum

import "fmt"

// Lengths of a carné de extranjería number. Migraciones issues 9 digits;
// older cards and other foreigners' documents registered alongside use up to
// 12 letters and digits, which we tolerate.
const (
	CEMinLen = 9
	CEMaxLen = 12
)

// CE is a validated carné de extranjería number: 9 to 12 upper-case letters
// and digits, leading zeros kept (it is a string, never a number).
type CE string

// ParseCE parses a CE number. Spaces, dots and hyphens are ignored and
// letters are upper-cased; the result must be 9 to 12 letters or digits with
// at least one digit.
func ParseCE(s string) (CE, error) {
	s = stripHyphens(clean(s))
	switch {
	case s == "":
		return "", fmt.Errorf("ce: %w", ErrEmpty)
	case !alnum(s) || !hasDigit(s):
		return "", fmt.Errorf("ce: %w", ErrCharset)
	case len(s) < CEMinLen || len(s) > CEMaxLen:
		return "", fmt.Errorf("ce: %w", ErrLength)
	}
	return CE(s), nil
}

// String returns the number as stored.
func (c CE) String() string { return string(c) }

func stripHyphens(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
