package mailq

import (
	"errors"
	"fmt"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

var (
	errNoAuth   = errors.New("server offers no AUTH mechanism we use (PLAIN, LOGIN)")
	errInsecure = errors.New("refusing to send a password over an unencrypted connection")
)

// auth picks the configured mechanism, or PLAIN, or LOGIN (which Microsoft
// 365 and older relays still ask for), among those the server offers, and
// authenticates. A password goes in clear only to a loopback host.
func (s *SMTP) auth(c *smtp.Client) error {
	if s.cfg.TLS == NoTLS && !isLoopback(s.cfg.Host) {
		return errInsecure
	}
	want := []string{sasl.Plain, sasl.Login}
	if s.cfg.Auth != "" {
		want = []string{s.cfg.Auth}
	}
	for _, m := range want {
		if !c.SupportsAuth(m) {
			continue
		}
		if m == sasl.Plain {
			return c.Auth(sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password))
		}
		return c.Auth(&loginClient{user: s.cfg.Username, pass: s.cfg.Password})
	}
	_, offered := c.Extension("AUTH")
	return fmt.Errorf("%w (offered: %q)", errNoAuth, offered)
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// loginClient is AUTH LOGIN answering the server's two prompts in turn,
// whatever they say: the draft (draft-murchison-sasl-login) leaves their
// text to the server, and its own example sends "User Name" and
// "Password" ending in NUL. go-sasl's client sends the user name as an
// initial response and then accepts only the prompt "Password:", so such
// a server failed with "unexpected server challenge".
type loginClient struct {
	user, pass string
	step       int
}

func (l *loginClient) Start() (string, []byte, error) { return sasl.Login, nil, nil }

func (l *loginClient) Next([]byte) ([]byte, error) {
	l.step++
	switch l.step {
	case 1:
		return []byte(l.user), nil
	case 2:
		return []byte(l.pass), nil
	}
	return nil, sasl.ErrUnexpectedServerChallenge
}
