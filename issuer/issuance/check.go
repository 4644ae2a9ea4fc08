package issuance

import (
	"context"
	"errors"
	"fmt"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Person is one person in a request: their document and what the requester
// states about them (their parents' names and the ubigeo of their DNI).
type Person struct {
	Doc   idnum.Doc
	Claim registry.Claim
}

// Request is what the form collects.
type Request struct {
	Requester constancia.Requester
	Student   Person
	// Guardian is set when Requester is Guardian.
	Guardian     *Person
	Email        string
	TermsVersion string
	// Regenerate asks for a new code and QR even when the records have
	// not changed (the holder's right; the old code is revoked).
	Regenerate bool
}

// Checked is a request that passed every check, with what the registries
// said: the student's identity and school records.
type Checked struct {
	Request  Request
	Identity *registry.Person
	Records  *registry.Student
}

// Check runs every identity and eligibility check against the registries.
// It stores nothing. Errors are Refusals, or an ErrUnavailable refusal
// when a registry is down.
func (s *Service) Check(ctx context.Context, req Request) (*Checked, error) {
	if req.Student.Doc.Kind == idnum.KindStudentCode {
		return nil, ErrNoDocument
	}
	today := registry.DateOf(s.Now().In(lima.Zone))
	student, err := s.person(ctx, req.Student)
	if err != nil {
		return nil, err
	}
	if student.Deceased() {
		return nil, ErrInPerson
	}
	adult := student.IsAdult(today)
	switch {
	case req.Requester == constancia.Adult && !adult:
		return nil, ErrMinor
	case req.Requester == constancia.Guardian && adult:
		return nil, ErrAdultStudent
	case req.Requester != constancia.Adult && req.Requester != constancia.Guardian:
		return nil, ErrMismatch
	}
	records, err := s.Records.Student(ctx, req.Student.Doc)
	switch {
	case errors.Is(err, registry.ErrNotFound):
		return nil, ErrNoRecords
	case err != nil:
		return nil, unavailable(err)
	}
	if req.Requester == constancia.Guardian {
		if err := s.checkGuardian(ctx, req, student, records, today); err != nil {
			return nil, err
		}
	}
	if len(records.Years) == 0 {
		return nil, ErrNoRecords
	}
	if year, blocked := records.Blocking(); blocked {
		return nil, &Refusal{Code: ErrBlocked.Code, Year: year}
	}
	return &Checked{Request: req, Identity: student, Records: records}, nil
}

// person looks p up and checks what the requester stated about them.
func (s *Service) person(ctx context.Context, p Person) (*registry.Person, error) {
	found, err := s.Identity.Person(ctx, p.Doc)
	switch {
	case errors.Is(err, registry.ErrNotFound), errors.Is(err, registry.ErrUnsupported):
		return nil, ErrMismatch
	case err != nil:
		return nil, unavailable(err)
	case !found.Matches(p.Claim):
		return nil, ErrMismatch
	}
	return found, nil
}

func (s *Service) checkGuardian(ctx context.Context, req Request, student *registry.Person, records *registry.Student, today registry.Date) error {
	if req.Guardian == nil || req.Guardian.Doc.Kind == idnum.KindStudentCode {
		return ErrMismatch
	}
	guardian, err := s.person(ctx, *req.Guardian)
	switch {
	case err != nil:
		return err
	case guardian.Deceased():
		return ErrMismatch
	case !guardian.IsAdult(today):
		return ErrGuardianMinor
	case registry.GuardianOf(student, records, req.Guardian.Doc) == registry.NotGuardian:
		return ErrNotGuardian
	}
	return nil
}

// unavailable turns any registry failure other than "not found" into the
// "try later" refusal, keeping the cause for the logs.
func unavailable(err error) error {
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}
