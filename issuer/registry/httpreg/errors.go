package httpreg

import (
	"fmt"
)

// Error is what a client returns: which service, the registry sentinel to
// branch on (errors.Is(err, registry.ErrUnavailable)…), and the transport
// detail. Neither holds personal data: documents travel in request bodies,
// never in URLs, and response bodies are not quoted.
type Error struct {
	Service string
	Status  int   // HTTP status of the last attempt, 0 if none came
	Err     error // registry.ErrNotFound, ErrUnsupported, ErrUnavailable, ErrTimeout, or the caller's context error
	Cause   error // what went wrong underneath, if anything
}

func (e *Error) Error() string {
	s := fmt.Sprintf("httpreg: %s: %v", e.Service, e.Err)
	if e.Status != 0 {
		s += fmt.Sprintf(" (http %d)", e.Status)
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap exposes the sentinel and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}
