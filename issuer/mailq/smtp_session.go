package mailq

import (
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
)

// open reads the greeting, says EHLO, starts TLS and authenticates. Any
// failure here is the server's or the configuration's, not the message's:
// ErrUnavailable.
func (s *SMTP) open(conn net.Conn) (*smtp.Client, error) {
	s.arm(conn, s.cfg.CommandTimeout)
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return nil, unavailable("greeting", err)
	}
	s.arm(conn, s.cfg.CommandTimeout)
	if err := c.Hello(s.cfg.LocalName); err != nil {
		return nil, unavailable("EHLO", err)
	}
	if s.cfg.TLS == StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return nil, fmt.Errorf("mail: smtp: %w", ErrNoStartTLS)
		}
		s.arm(conn, s.cfg.CommandTimeout+s.cfg.DialTimeout)
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return nil, unavailable("STARTTLS", err)
		}
	}
	if s.cfg.Username != "" {
		s.arm(conn, s.cfg.CommandTimeout)
		if err := s.auth(c); err != nil {
			return nil, unavailable("AUTH", err)
		}
	}
	return c, nil
}

// transact sends MAIL, RCPT and DATA. A refused MAIL FROM is about the
// sender, the same in every message (not authorised, relay denied): it is
// ErrUnavailable, so the queue pauses instead of dead-lettering every
// message. After it, a 5xx reply is about this message (ErrRejected);
// anything else, a 4xx or a dropped connection, is ErrDeferred.
func (s *SMTP) transact(c *smtp.Client, conn net.Conn, env Envelope, msg []byte) error {
	s.arm(conn, s.cfg.CommandTimeout)
	if err := c.Mail(env.From); err != nil {
		return unavailable("MAIL", err)
	}
	for _, to := range env.To {
		s.arm(conn, s.cfg.CommandTimeout)
		if err := c.Rcpt(to); err != nil {
			return transactionError("RCPT", err)
		}
	}
	s.arm(conn, s.cfg.CommandTimeout)
	w, err := c.Data()
	if err != nil {
		return transactionError("DATA", err)
	}
	s.arm(conn, s.cfg.DataTimeout)
	if _, err := w.Write(msg); err != nil {
		return transactionError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return transactionError("DATA", err)
	}
	return nil
}

func unavailable(stage string, err error) error {
	return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrUnavailable, err)
}

func transactionError(stage string, err error) error {
	if code := replyCode(err); code >= 500 && code < 600 {
		return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrRejected, err)
	}
	return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrDeferred, err)
}

// replyCode returns the SMTP reply code inside err, or 0.
func replyCode(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	return 0
}
