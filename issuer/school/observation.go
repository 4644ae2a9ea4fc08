package school

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxObservationLen caps one observation's text (bytes): the constancia
// prints each on a line or two.
const MaxObservationLen = 300

// sep separates the parts of an observation as SIAGIE prints them.
const sep = " - "

// Observation is a note on a year: "{year} - {resolution} - {reason}", e.g.
// "2018 - R.D. N.° 01234-2018-UGEL.03 - Aprobó evaluación de recuperación".
type Observation struct {
	Year       int
	Resolution string
	Reason     string
}

// String returns the printed form.
func (o Observation) String() string {
	return strconv.Itoa(o.Year) + sep + o.Resolution + sep + o.Reason
}

// ParseObservation parses the printed form. The resolution may hold
// hyphens but not " - "; the reason is the rest of the text.
func ParseObservation(s string) (Observation, error) {
	y, rest, ok1 := strings.Cut(s, sep)
	res, reason, ok2 := strings.Cut(rest, sep)
	year, err := strconv.Atoi(y)
	o := Observation{Year: year, Resolution: res, Reason: reason}
	if !ok1 || !ok2 || err != nil || len(y) != 4 {
		return Observation{}, fmt.Errorf("%w: observation must read \"year - resolution - reason\"", ErrInvalid)
	}
	return o, o.Validate()
}

// Validate checks the parts: a 4-digit year from FirstYear, non-empty
// single-line texts within MaxObservationLen.
func (o Observation) Validate() error {
	text := o.String()
	switch {
	case o.Year < FirstYear || o.Year > 9999:
		return fmt.Errorf("%w: observation year", ErrInvalid)
	case strings.TrimSpace(o.Resolution) == "" || strings.TrimSpace(o.Reason) == "":
		return fmt.Errorf("%w: observation without resolution or reason", ErrInvalid)
	case strings.Contains(o.Resolution, sep):
		return fmt.Errorf("%w: observation resolution holds %q", ErrInvalid, sep)
	case len(text) > MaxObservationLen || !utf8.ValidString(text) || strings.ContainsAny(text, "\r\n\x00"):
		return fmt.Errorf("%w: observation text", ErrInvalid)
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler with the printed form.
func (o Observation) MarshalText() ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return []byte(o.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Observation) UnmarshalText(b []byte) error {
	v, err := ParseObservation(string(b))
	if err == nil {
		*o = v
	}
	return err
}
