package idnum

import "fmt"

// StudentCodeLen is the number of digits of SIAGIE's código del estudiante.
const StudentCodeLen = 14

// StudentCode is SIAGIE's código del estudiante: 14 digits. SIAGIE assigns
// one to every student; it is the only identifier of a student with no DNI
// or CE.
type StudentCode string

// ParseStudentCode parses a código del estudiante; spaces and dots are
// ignored.
func ParseStudentCode(s string) (StudentCode, error) {
	s = clean(s)
	switch {
	case s == "":
		return "", fmt.Errorf("student code: %w", ErrEmpty)
	case !allDigits(s):
		return "", fmt.Errorf("student code: %w", ErrCharset)
	case len(s) != StudentCodeLen:
		return "", fmt.Errorf("student code: %w", ErrLength)
	}
	return StudentCode(s), nil
}

// String returns the 14 digits.
func (c StudentCode) String() string { return string(c) }
