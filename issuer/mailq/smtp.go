package mailq

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how the SMTP connection is protected.
type TLSMode int

const (
	// StartTLS (the default) upgrades the connection with STARTTLS before
	// anything else is said, and refuses to go on in clear if the server
	// does not offer it (ErrNoStartTLS): a stripped STARTTLS is a
	// downgrade attack, not a reason to send personal data in clear.
	StartTLS TLSMode = iota
	// ImplicitTLS speaks TLS from the first byte (port 465, RFC 8314).
	ImplicitTLS
	// NoTLS sends in clear: only for a relay on the same host or a trusted
	// network. AUTH is then refused unless the host is loopback.
	NoTLS
)

var tlsModeNames = map[TLSMode]string{StartTLS: "starttls", ImplicitTLS: "tls", NoTLS: "none"}

func (m TLSMode) String() string { return tlsModeNames[m] }

// ParseTLSMode reads "starttls", "tls" or "none".
func ParseTLSMode(s string) (TLSMode, error) {
	for m, name := range tlsModeNames {
		if s == name {
			return m, nil
		}
	}
	return 0, fmt.Errorf("mail: unknown TLS mode %q (starttls, tls, none)", s)
}

// SMTPConfig configures the SMTP sender. Only Host is required.
type SMTPConfig struct {
	Host      string
	Port      int     // default 587, or 465 with ImplicitTLS, 25 with NoTLS
	TLS       TLSMode // default StartTLS, required
	Username  string  // AUTH only when set
	Password  string
	Auth      string      // "PLAIN", "LOGIN", or "" for PLAIN if offered, else LOGIN
	LocalName string      // EHLO name; default "localhost"
	TLSConfig *tls.Config // roots, client certs; ServerName defaults to Host

	DialTimeout    time.Duration // TCP connect and TLS handshake; default 10 s
	CommandTimeout time.Duration // each command and its reply; default 1 min
	DataTimeout    time.Duration // the message body and the final reply; default 5 min

	// Dial replaces the TCP dialer (tests, proxies).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// SMTP delivers through one SMTP server (a submission relay), one
// connection per message: a constancia e-mail is rare enough that a pool
// would only add failure modes.
type SMTP struct {
	cfg  SMTPConfig
	addr string
}

var errNoHost = errors.New("mail: SMTP host not set")

// NewSMTP checks cfg and fills in its defaults.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errNoHost
	}
	if _, ok := tlsModeNames[cfg.TLS]; !ok {
		return nil, fmt.Errorf("mail: unknown TLS mode %d", cfg.TLS)
	}
	cfg.Auth = strings.ToUpper(cfg.Auth)
	if cfg.Auth != "" && cfg.Auth != "PLAIN" && cfg.Auth != "LOGIN" {
		return nil, fmt.Errorf("mail: unknown AUTH mechanism %q (PLAIN, LOGIN)", cfg.Auth)
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{StartTLS: defaultPort, ImplicitTLS: defaultTLSPort, NoTLS: defaultPlainPort}[cfg.TLS]
	}
	if cfg.LocalName == "" {
		cfg.LocalName = "localhost"
	}
	cfg.DialTimeout = orDuration(cfg.DialTimeout, DefaultDialTimeout)
	cfg.CommandTimeout = orDuration(cfg.CommandTimeout, DefaultCommandTimeout)
	cfg.DataTimeout = orDuration(cfg.DataTimeout, DefaultDataTimeout)
	if cfg.Dial == nil {
		cfg.Dial = (&net.Dialer{}).DialContext
	}
	return &SMTP{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}, nil
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	return c
}

// Send delivers msg in one SMTP session. The context cancels it at any
// point by closing the connection.
func (s *SMTP) Send(ctx context.Context, env Envelope, msg []byte) error {
	raw, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("mail: smtp dial: %w: %w", ErrUnavailable, err)
	}
	defer raw.Close()
	defer context.AfterFunc(ctx, func() { raw.Close() })()
	conn := &cappedConn{Conn: raw, limit: s.cfg.CommandTimeout}
	c, err := s.open(conn)
	if err != nil {
		return err
	}
	if err := s.transact(c, conn, env, msg); err != nil {
		return err
	}
	c.Quit() // the message is accepted: a failed QUIT changes nothing
	return nil
}

// dial connects, and for ImplicitTLS completes the handshake, within
// DialTimeout.
func (s *SMTP) dial(ctx context.Context) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.DialTimeout)
	defer cancel()
	conn, err := s.cfg.Dial(ctx, "tcp", s.addr)
	if err != nil || s.cfg.TLS != ImplicitTLS {
		return conn, err
	}
	tc := tls.Client(conn, s.tlsConfig())
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}
