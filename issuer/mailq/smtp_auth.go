package mailq

import (
	"errors"
	"fmt"
	"net/smtp"
	"slices"
	"strings"
)

var (
	errNoAuth    = errors.New("server offers no AUTH mechanism we use (PLAIN, LOGIN)")
	errInsecure  = errors.New("refusing to send a password over an unencrypted connection")
	errLoginStep = errors.New("unexpected LOGIN challenge")
)

// auth picks the configured mechanism, or PLAIN, or LOGIN, among those the
// server offers, and authenticates.
func (s *SMTP) auth(c *smtp.Client) error {
	_, offered := c.Extension("AUTH")
	mechs := strings.Fields(strings.ToUpper(offered))
	want := []string{"PLAIN", "LOGIN"}
	if s.cfg.Auth != "" {
		want = []string{s.cfg.Auth}
	}
	for _, m := range want {
		if !slices.Contains(mechs, m) {
			continue
		}
		if m == "PLAIN" {
			return c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host))
		}
		return c.Auth(&loginAuth{user: s.cfg.Username, pass: s.cfg.Password, host: s.cfg.Host})
	}
	return fmt.Errorf("%w (offered: %q)", errNoAuth, offered)
}

// loginAuth is the LOGIN mechanism (draft-murchison-sasl-login), which
// net/smtp lacks and Microsoft 365 and older relays still ask for. Like
// net/smtp's PLAIN it refuses to run without TLS except on loopback.
type loginAuth struct {
	user, pass, host string
	step             int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopback(server.Name) {
		return "", nil, errInsecure
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	a.step = 0
	return "LOGIN", nil, nil
}

// Next answers "Username:" then "Password:"; servers differ in the prompt
// text, so the order decides.
func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errLoginStep
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
