package idnum

import (
	"fmt"
	"strings"
)

// DNILen is the number of digits of a DNI.
const DNILen = 8

// DNI is a validated DNI number: exactly 8 digits, leading zeros kept.
type DNI string

// dniWeights are RENIEC's weights for the check character, one per digit.
var dniWeights = [DNILen]int{3, 2, 7, 6, 5, 4, 3, 2}

// The check character is printed either as a digit or as a letter; both are
// valid and index the same way: c = weighted sum mod 11.
const (
	checkDigits  = "65432110987"
	checkLetters = "KJIHGFEDCBA"
)

// ParseDNI parses a DNI as people type it: 8 digits, optionally followed by a
// hyphen and the check character ("10117410-2" or "10117410-G"). Spaces and
// dots are ignored, letters may be lower case. When a check character is
// given it must match.
func ParseDNI(s string) (DNI, error) {
	s = clean(s)
	num, check, hasCheck := strings.Cut(s, "-")
	d, err := parseDNIDigits(num)
	if err != nil {
		return "", err
	}
	if hasCheck {
		if err := d.VerifyCheck(check); err != nil {
			return "", err
		}
	}
	return d, nil
}

func parseDNIDigits(s string) (DNI, error) {
	switch {
	case s == "":
		return "", fmt.Errorf("dni: %w", ErrEmpty)
	case !allDigits(s):
		return "", fmt.Errorf("dni: %w", ErrCharset)
	case len(s) != DNILen:
		return "", fmt.Errorf("dni: %w", ErrLength)
	}
	return DNI(s), nil
}

// checkIndex is the weighted digit sum mod 11. d must be valid.
func (d DNI) checkIndex() int {
	sum := 0
	for i := 0; i < DNILen; i++ {
		sum += int(d[i]-'0') * dniWeights[i]
	}
	return sum % 11
}

// Check returns the DNI's check character in both printed forms: a digit and
// a letter. d must be valid.
func (d DNI) Check() (digit, letter byte) {
	c := d.checkIndex()
	return checkDigits[c], checkLetters[c]
}

// VerifyCheck reports whether c (one character, digit or letter, any case,
// spaces ignored) is d's check character.
func (d DNI) VerifyCheck(c string) error {
	c = clean(c)
	switch {
	case c == "":
		return fmt.Errorf("dni check character: %w", ErrEmpty)
	case len(c) != 1:
		return fmt.Errorf("dni check character: %w", ErrLength)
	case !alnum(c):
		return fmt.Errorf("dni check character: %w", ErrCharset)
	}
	digit, letter := d.Check()
	if c[0] != digit && c[0] != letter {
		return fmt.Errorf("dni: %w", ErrCheck)
	}
	return nil
}

// WithCheck returns d followed by a hyphen and its check digit, as printed
// on the card: "10117410-2".
func (d DNI) WithCheck() string {
	digit, _ := d.Check()
	return string(d) + "-" + string(digit)
}

// String returns the 8 digits.
func (d DNI) String() string { return string(d) }
