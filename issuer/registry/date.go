package registry

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date with no time zone: a birth or death date. Its
// zero value means "none".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrDate means a date is not a real calendar date in "YYYY-MM-DD" form.
var ErrDate = errors.New("registry: date must be YYYY-MM-DD")

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD" strictly: a real date, years 1000–9999.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) || t.Year() < 1000 {
		return Date{}, ErrDate
	}
	return DateOf(t), nil
}

// IsZero reports whether d is "none".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real date (and not zero).
func (d Date) Valid() bool {
	if d.Year < 1000 || d.Year > 9999 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a := d.Year*10000 + int(d.Month)*100 + d.Day
	b := e.Year*10000 + int(e.Month)*100 + e.Day
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// AgeOn returns the age in completed years of someone born on d, on day on.
// Someone born on 29 February comes of age on 1 March in common years.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// String returns "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, ErrDate
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err == nil {
		*d = v
	}
	return err
}
