package registry

import "errors"

// Errors returned by every IdentityRegistry and RecordsRegistry, possibly
// wrapped; test with errors.Is.
var (
	// ErrNotFound: the registry has no person or student with that
	// document. For the requester this is a mismatch like any other.
	ErrNotFound = errors.New("registry: not found")

	// ErrUnsupported: this registry does not answer for that kind of
	// document (RENIEC for a CE, any identity registry for a código del
	// estudiante).
	ErrUnsupported = errors.New("registry: document kind not served")

	// ErrUnavailable: the registry could not answer now (down, overloaded,
	// failing, misconfigured, or answering nonsense). Try later; nothing
	// should be issued half-way.
	ErrUnavailable = errors.New("registry: unavailable")

	// ErrTimeout: the registry did not answer in time. errors.Is(ErrTimeout,
	// ErrUnavailable) is true.
	ErrTimeout error = timeoutError{}
)

type timeoutError struct{}

func (timeoutError) Error() string { return "registry: timed out" }

// Is makes a timeout also an ErrUnavailable.
func (timeoutError) Is(target error) bool { return target == ErrUnavailable }
