package issuance

import "errors"

// Refusals a requester sees. Each has a Spanish message (and English and
// Quechua) keyed by its Code; none says which registry field differed.
type Refusal struct {
	Code string
	// Year is the blocked school year, for ErrBlocked.
	Year int
}

func (r *Refusal) Error() string { return "issuance: " + r.Code }

// Is makes errors.Is(err, ErrMismatch) work on a *Refusal with the code.
func (r *Refusal) Is(target error) bool {
	t, ok := target.(*Refusal)
	return ok && t.Code == r.Code
}

var (
	// ErrMismatch: the data typed does not match the registries (any
	// field, any person; or an unknown document).
	ErrMismatch = &Refusal{Code: "mismatch"}
	// ErrNoDocument: a student SIAGIE knows only by código del estudiante
	// cannot be identified online: where to ask instead.
	ErrNoDocument = &Refusal{Code: "no_document"}
	// ErrMinor: a minor asked alone; a parent or tutor must ask.
	ErrMinor = &Refusal{Code: "minor"}
	// ErrAdultStudent: a guardian asked for an adult student.
	ErrAdultStudent = &Refusal{Code: "adult_student"}
	// ErrGuardianMinor: the guardian is not an adult.
	ErrGuardianMinor = &Refusal{Code: "guardian_minor"}
	// ErrNotGuardian: neither a parent (RENIEC) nor a tutor (SIAGIE).
	ErrNotGuardian = &Refusal{Code: "not_guardian"}
	// ErrNoRecords: no school year from 2013 on in SIAGIE.
	ErrNoRecords = &Refusal{Code: "no_records"}
	// ErrBlocked: a year's acta is under review; see Refusal.Year.
	ErrBlocked = &Refusal{Code: "blocked"}
	// ErrInPerson: a case that needs a person at a UGEL (e.g. the
	// registries record the student as deceased).
	ErrInPerson = &Refusal{Code: "in_person"}
	// ErrUnavailable: a registry is down or slow: try later; nothing was
	// issued or stored.
	ErrUnavailable = &Refusal{Code: "unavailable"}
)

// RefusalOf returns the refusal in err, if any.
func RefusalOf(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}
