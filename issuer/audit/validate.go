package audit

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// normalize returns e as Append stores it: time in UTC without a
// monotonic reading, text made valid UTF-8 (a byte that is not becomes
// U+FFFD: the export is JSON, and JSON cannot carry it), and checked.
func normalize(e Entry) (Entry, error) {
	e.Time = e.Time.UTC().Round(0)
	e.Actor, e.Role, e.Target = utf(e.Actor), utf(e.Role), utf(e.Target)
	if len(e.Details) > 0 {
		d := make(map[string]string, len(e.Details))
		for k, v := range e.Details {
			d[utf(k)] = utf(v)
		}
		e.Details = d
	} else {
		e.Details = nil
	}
	if err := check(&e); err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return e, nil
}

func utf(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// check is what every stored entry satisfies; Decode applies it too.
func check(e *Entry) error {
	switch {
	case e.Time.IsZero() || e.Time.Year() < 1 || e.Time.Year() > 9999 || e.Time.Location() != time.UTC:
		return fmt.Errorf("time %v", e.Time)
	case e.Actor == "" || len(e.Actor) > MaxActor:
		return fmt.Errorf("actor of %d bytes", len(e.Actor))
	case len(e.Role) > MaxRole:
		return fmt.Errorf("role of %d bytes", len(e.Role))
	case !e.Action.valid():
		return fmt.Errorf("action %q", e.Action)
	case len(e.Target) > MaxTarget:
		return fmt.Errorf("target of %d bytes", len(e.Target))
	case len(e.Details) > MaxDetails:
		return fmt.Errorf("%d details", len(e.Details))
	}
	for k, v := range e.Details {
		if k == "" || len(k) > MaxDetailKey || len(v) > MaxDetailValue {
			return fmt.Errorf("detail %.32q", k)
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("text is not UTF-8")
		}
	}
	for _, s := range []string{e.Actor, e.Role, e.Target} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("text is not UTF-8")
		}
	}
	return nil
}
