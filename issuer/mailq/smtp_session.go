package mailq

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// go-smtp's NewClientStartTLS reports a missing STARTTLS with this plain
// error; TestSMTPRefusesUnsafeSessions notices if an upgrade changes it.
const goSMTPNoStartTLS = "smtp: server doesn't support STARTTLS"

// open reads the greeting, says EHLO, starts TLS and authenticates. Any
// failure here is the server's or the configuration's, not the message's:
// ErrUnavailable.
func (s *SMTP) open(conn *cappedConn) (*smtp.Client, error) {
	var c *smtp.Client
	if s.cfg.TLS == StartTLS {
		var err error
		c, err = smtp.NewClientStartTLS(conn, s.tlsConfig())
		if err != nil && err.Error() == goSMTPNoStartTLS {
			return nil, fmt.Errorf("mail: smtp: %w", ErrNoStartTLS)
		}
		if err != nil {
			return nil, unavailable("STARTTLS", err)
		}
	} else {
		c = smtp.NewClient(conn)
	}
	conn.limit = 0 // the Client's own timeouts from here on
	// After STARTTLS the handshake runs within this EHLO.
	c.CommandTimeout = s.cfg.CommandTimeout + s.cfg.DialTimeout
	if err := c.Hello(s.cfg.LocalName); err != nil {
		return nil, unavailable("EHLO", err)
	}
	c.CommandTimeout = s.cfg.CommandTimeout
	if s.cfg.Username != "" {
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
	if err := c.Mail(env.From, nil); err != nil {
		return unavailable("MAIL", err)
	}
	for _, to := range env.To {
		if err := c.Rcpt(to, nil); err != nil {
			return transactionError("RCPT", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return transactionError("DATA", err)
	}
	// The body and the final reply share DataTimeout; go-smtp would write
	// the body with no deadline and then wait SubmissionTimeout anew.
	deadline := time.Now().Add(s.cfg.DataTimeout)
	conn.SetDeadline(deadline)
	if _, err := w.Write(msg); err != nil {
		return transactionError("DATA", err)
	}
	c.SubmissionTimeout = time.Until(deadline)
	if err := w.Close(); err != nil {
		return transactionError("DATA", err)
	}
	return nil
}

func unavailable(stage string, err error) error {
	return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrUnavailable, err)
}

func transactionError(stage string, err error) error {
	if se := (*smtp.SMTPError)(nil); errors.As(err, &se) && se.Code/100 == 5 {
		return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrRejected, err)
	}
	return fmt.Errorf("mail: smtp %s: %w: %w", stage, ErrDeferred, err)
}

// cappedConn shortens every deadline go-smtp sets to limit, if not 0:
// NewClientStartTLS reads the greeting and says EHLO and STARTTLS under
// go-smtp's default 5 min timeout, before CommandTimeout can be set.
// Network deadlines use the real clock, not the queue's injected one.
type cappedConn struct {
	net.Conn
	limit time.Duration
}

func (c *cappedConn) SetDeadline(t time.Time) error {
	if c.limit > 0 {
		if latest := time.Now().Add(c.limit); t.IsZero() || t.After(latest) {
			t = latest
		}
	}
	return c.Conn.SetDeadline(t)
}
