package mailq

import "errors"

// Errors returned by this package, possibly wrapped; test with errors.Is.
var (
	// ErrInvalidHeader: a subject, display name, file name or content type
	// holds a line break or another control character, or is not UTF-8.
	// Rejecting these makes header injection impossible.
	ErrInvalidHeader = errors.New("mail: invalid header value")

	// ErrInvalidAddress: an address does not parse as one RFC 5322 address,
	// or is not plain ASCII (SMTPUTF8 is not used).
	ErrInvalidAddress = errors.New("mail: invalid address")

	// ErrInvalidMessage: the message is incomplete (no recipient, no
	// text) or breaks a cap in limits.go.
	ErrInvalidMessage = errors.New("mail: invalid message")

	// ErrRejected: the server refused the message for good (a 5xx reply to
	// RCPT or DATA, e.g. an unknown mailbox). The mail is dead at once.
	ErrRejected = errors.New("mail: rejected by server")

	// ErrDeferred: the server refused the message for now (a 4xx reply, or
	// the connection dropped, during RCPT or DATA). The mail is retried
	// with backoff until MaxAge.
	ErrDeferred = errors.New("mail: deferred by server")

	// ErrUnavailable: the server could not be reached or would not start a
	// transaction (dial, greeting, EHLO, TLS, AUTH, MAIL FROM). The fault is
	// not the message's: the deliverer pauses with backoff and charges no
	// mail for it.
	ErrUnavailable = errors.New("mail: server unavailable")

	// ErrNoStartTLS: TLS mode is StartTLS but the server does not offer
	// it. Nothing is sent in clear. errors.Is(ErrNoStartTLS, ErrUnavailable)
	// holds.
	ErrNoStartTLS error = noStartTLSError{}
)

type noStartTLSError struct{}

func (noStartTLSError) Error() string { return "mail: server does not offer STARTTLS" }

// Is makes a missing STARTTLS also an ErrUnavailable.
func (noStartTLSError) Is(target error) bool { return target == ErrUnavailable }
