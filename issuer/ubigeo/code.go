package ubigeo

import (
	"errors"
	"strings"
)

// ErrCode means a string is not a 6-digit ubigeo code.
var ErrCode = errors.New("ubigeo: code must be 6 digits")

// Code is a 6-digit RENIEC ubigeo code: 2 digits of department, 2 of
// province, 2 of district. A department's own code ends in "0000", a
// province's in "00".
type Code string

// Level is what a Code names.
type Level uint8

// Levels of a Code.
const (
	Department Level = iota + 1
	Province
	District
)

// ParseCode parses a 6-digit code; surrounding spaces are ignored.
func ParseCode(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if len(s) != 6 {
		return "", ErrCode
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", ErrCode
		}
	}
	if s[:2] == "00" || (s[2:4] == "00" && s[4:] != "00") {
		return "", ErrCode
	}
	return Code(s), nil
}

// Level reports whether c names a department, a province or a district;
// it is 0 for a string that is not 6 characters long (a Code made by a
// conversion, not by ParseCode).
func (c Code) Level() Level {
	switch {
	case len(c) != 6:
		return 0
	case c[2:] == "0000":
		return Department
	case c[4:] == "00":
		return Province
	}
	return District
}

// Department returns the code of c's department ("140000" for "140101").
// It is "" for a Code of the wrong length.
func (c Code) Department() Code {
	if len(c) != 6 {
		return ""
	}
	return c[:2] + "0000"
}

// Province returns the code of c's province ("140100" for "140101"). For a
// department it returns c.
func (c Code) Province() Code {
	switch c.Level() {
	case 0:
		return ""
	case Department:
		return c
	}
	return c[:4] + "00"
}

// String returns the 6 digits.
func (c Code) String() string { return string(c) }
