package keyset

import (
	"errors"
	"time"
)

// errTime is what every malformed JWKS time gives.
var errTime = errors.New("not a CLA date-time (YYYY-MM-DDTHH:MM:SS then Z or ±HH:MM)")

// parseTime reads a JWKS window time. The grammar is a strict subset of
// RFC 3339 (docs/FORMAT.md, "JWKS times"):
//
//	date-time = YYYY "-" MM "-" DD "T" hh ":" mm ":" ss ( "Z" / ("+" / "-") hh ":" mm )
//
// uppercase T and Z only, no fraction of a second (windows are whole
// seconds, as in the keyset), no leap second (ss ≤ 59), a day that exists
// in its month, an offset of at most 23:59, and an instant, once the offset
// is applied, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. The
// standard library's RFC 3339 parser is not used: it accepts fractions,
// and its rules are not ours to pin.
func parseTime(s string) (time.Time, error) {
	if len(s) != 20 && len(s) != 25 {
		return time.Time{}, errTime
	}
	num := func(at, n int) (int, bool) {
		v := 0
		for i := at; i < at+n; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			v = v*10 + int(s[i]-'0')
		}
		return v, true
	}
	for at, c := range map[int]byte{4: '-', 7: '-', 10: 'T', 13: ':', 16: ':'} {
		if s[at] != c {
			return time.Time{}, errTime
		}
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errTime
	}
	offset := 0
	switch {
	case len(s) == 20 && s[19] == 'Z':
	case len(s) == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':':
		oh, ok1 := num(20, 2)
		om, ok2 := num(23, 2)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, errTime
		}
		offset = oh*3600 + om*60
		if s[19] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errTime
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
	if t.Unix() < 0 || t.Unix() > maxUnix {
		return time.Time{}, errors.New("time outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z")
	}
	return t, nil
}

// daysIn returns the days of month in year (proleptic Gregorian calendar).
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
