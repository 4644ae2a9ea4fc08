package school

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// Modular is a school's código modular (7 digits) and anexo (1 digit), in
// the printed form "0403691-0".
type Modular string

// ParseModular accepts "0403691-0", "0403691 0" or "04036910".
func ParseModular(s string) (Modular, error) {
	s = modularSeps.Replace(strings.TrimSpace(s))
	if len(s) != 8 || !digits(s) {
		return "", fmt.Errorf("%w: código modular must be 7 digits and an anexo digit", ErrInvalid)
	}
	return Modular(s[:7] + "-" + s[7:]), nil
}

var modularSeps = strings.NewReplacer(" ", "", "-", "")

// Code returns the 7-digit código modular.
func (m Modular) Code() string { return string(m[:7]) }

// Anexo returns the anexo digit.
func (m Modular) Anexo() string { return string(m[8:]) }

// Valid reports whether m is in printed form.
func (m Modular) Valid() bool {
	p, err := ParseModular(string(m))
	return err == nil && p == m
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MaxSchoolNameLen caps a school name (bytes).
const MaxSchoolNameLen = 200

// School is an institución educativa as SIAGIE names it.
type School struct {
	Code   Modular     `json:"code"`
	Name   string      `json:"name"`
	Ubigeo ubigeo.Code `json:"ubigeo"`
}

// Validate checks the code, name and ubigeo.
func (s School) Validate() error {
	if !s.Code.Valid() {
		return fmt.Errorf("%w: código modular", ErrInvalid)
	}
	if strings.TrimSpace(s.Name) == "" || len(s.Name) > MaxSchoolNameLen || !utf8.ValidString(s.Name) {
		return fmt.Errorf("%w: school name", ErrInvalid)
	}
	if c, err := ubigeo.ParseCode(string(s.Ubigeo)); err != nil || c != s.Ubigeo || c.Level() != ubigeo.District {
		return fmt.Errorf("%w: school ubigeo", ErrInvalid)
	}
	return nil
}
