package mailq

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Config is the mail part of the issuer's configuration, as
// cmd/cla-issuer reads it from the environment (docs/MAIL.md).
type Config struct {
	From   string      // CLA_MAIL_FROM
	Outbox string      // CLA_MAIL_OUTBOX: used when SMTP is nil
	SMTP   *SMTPConfig // nil unless CLA_SMTP_HOST is set
}

// Development defaults: no server, messages land in ./data/mail/outbox.
const (
	DefaultFrom   = "Constancias CLA <no-reply@cla.localhost>"
	DefaultOutbox = "data/mail/outbox"
)

// ConfigFromEnv reads the CLA_MAIL_* and CLA_SMTP_* variables through
// getenv (os.Getenv in the issuer). The password comes from
// CLA_SMTP_PASSWORD_FILE (trailing line end trimmed) or CLA_SMTP_PASSWORD.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		From:   or(getenv("CLA_MAIL_FROM"), DefaultFrom),
		Outbox: or(getenv("CLA_MAIL_OUTBOX"), DefaultOutbox),
	}
	if _, err := parseAddress(c.From); err != nil {
		return c, fmt.Errorf("CLA_MAIL_FROM: %w", err)
	}
	host := getenv("CLA_SMTP_HOST")
	if host == "" {
		return c, nil
	}
	s, err := smtpFromEnv(host, getenv)
	if err != nil {
		return c, err
	}
	c.SMTP = s
	return c, nil
}

func smtpFromEnv(host string, getenv func(string) string) (*SMTPConfig, error) {
	s := &SMTPConfig{
		Host:      host,
		Username:  getenv("CLA_SMTP_USER"),
		Password:  getenv("CLA_SMTP_PASSWORD"),
		Auth:      strings.ToUpper(getenv("CLA_SMTP_AUTH")),
		LocalName: getenv("CLA_SMTP_HELO"),
	}
	var err error
	if s.TLS, err = ParseTLSMode(or(getenv("CLA_SMTP_TLS"), "starttls")); err != nil {
		return nil, fmt.Errorf("CLA_SMTP_TLS: %w", err)
	}
	if p := getenv("CLA_SMTP_PORT"); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port <= 0 || s.Port > 65535 {
			return nil, fmt.Errorf("CLA_SMTP_PORT: %q is not a port", p)
		}
	}
	if f := getenv("CLA_SMTP_PASSWORD_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("CLA_SMTP_PASSWORD_FILE: %w", err)
		}
		s.Password = strings.TrimRight(string(b), "\r\n")
	}
	return s, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// NewSender returns the SMTP sender when a server is configured, else the
// outbox.
func (c Config) NewSender() (Sender, error) {
	if c.SMTP != nil {
		return NewSMTP(*c.SMTP)
	}
	return NewOutbox(c.Outbox)
}
