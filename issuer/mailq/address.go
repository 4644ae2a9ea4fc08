package mailq

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	netmail "net/mail"
	"regexp"
	"strings"
)

// parseAddress parses exactly one RFC 5322 address. The input is checked
// for control characters first, the display name again after decoding, and
// the address must be ASCII (the queue does not use SMTPUTF8).
func parseAddress(s string) (*netmail.Address, error) {
	if err := checkHeaderText(s, MaxNameLen+MaxAddressLen+8); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidAddress, err)
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidAddress, err)
	}
	if err := checkEnvelopeAddress(a.Address); err != nil {
		return nil, err
	}
	if err := checkHeaderText(a.Name, MaxNameLen); err != nil {
		return nil, fmt.Errorf("%w: display name: %w", ErrInvalidAddress, err)
	}
	return a, nil
}

// checkEnvelopeAddress accepts the bare address part as it goes into MAIL
// FROM and RCPT TO: printable ASCII, no spaces or brackets, one local part
// and a domain, within the RFC 5321 length.
func checkEnvelopeAddress(s string) error {
	if s == "" || len(s) > MaxAddressLen {
		return fmt.Errorf("%w: length %d", ErrInvalidAddress, len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return fmt.Errorf("%w: not plain ASCII", ErrInvalidAddress)
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return fmt.Errorf("%w: no local part or domain", ErrInvalidAddress)
	}
	return nil
}

// domainOf returns the domain of a checked bare address.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

// HashAddress is how logs name a recipient: the first 12 hex digits of the
// SHA-256 of the lowercased address. Support staff can hash an address a
// person gives them and find the matching log lines; the logs alone do not
// show it.
func HashAddress(addr string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(addr)))
	return hex.EncodeToString(sum[:6])
}

// addrLike matches anything shaped like an address inside free text, such
// as a server's "550 5.1.1 <juan@example.pe>: user unknown".
var addrLike = regexp.MustCompile(`[^\s<>()\[\]"',;:]+@[^\s<>()\[\]"',;:]+`)

// redact replaces every address-like token in s with its hash, so server
// replies can be logged without the address in clear.
func redact(s string) string {
	return addrLike.ReplaceAllStringFunc(s, func(a string) string {
		return "addr:" + HashAddress(a)
	})
}
