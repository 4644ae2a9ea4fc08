package idnum

import "errors"

// Errors returned by the parsers, wrapped with the document kind
// ("dni: wrong length"). Callers branch on them with errors.Is.
var (
	// ErrEmpty means nothing was typed.
	ErrEmpty = errors.New("empty")
	// ErrLength means the number has the wrong number of characters.
	ErrLength = errors.New("wrong length")
	// ErrCharset means the number holds a character it may not hold.
	ErrCharset = errors.New("invalid character")
	// ErrCheck means a DNI's check character does not match its digits.
	ErrCheck = errors.New("check character does not match")
	// ErrKind means the document kind is unknown or not allowed here.
	ErrKind = errors.New("unknown document kind")
)
