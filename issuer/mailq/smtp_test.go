package mailq

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newTestSMTP(t testing.TB, ts *testServer, edit func(*SMTPConfig)) *SMTP {
	t.Helper()
	cfg := SMTPConfig{
		Host: "127.0.0.1", Port: ts.Port, TLS: StartTLS,
		TLSConfig:   &tls.Config{RootCAs: ts.Certs},
		DialTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testEnvelope() Envelope {
	return Envelope{ID: testID, From: testFrom.Address, To: []string{"juan.perez@example.pe"}}
}

func TestSMTPDelivers(t *testing.T) {
	t.Parallel()
	raw := render(t, testMessage("Juan Pérez <juan.perez@example.pe>"))
	tests := []struct {
		name     string
		server   serverOpts
		edit     func(*SMTPConfig)
		wantUser string
		wantTLS  bool
	}{
		{"STARTTLS and AUTH PLAIN", serverOpts{tls: true, user: "cla", pass: "s3cr3t"},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "s3cr3t" }, "cla", true},
		{"STARTTLS and AUTH LOGIN", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "s3cr3t" }, "cla", true},
		{"LOGIN chosen over PLAIN", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"PLAIN", "LOGIN"}},
			func(c *SMTPConfig) { c.Username, c.Password, c.Auth = "cla", "s3cr3t", "LOGIN" }, "cla", true},
		{"STARTTLS without AUTH", serverOpts{tls: true}, nil, "", true},
		{"implicit TLS and AUTH", serverOpts{implicit: true, user: "cla", pass: "s3cr3t"},
			func(c *SMTPConfig) { c.TLS, c.Username, c.Password = ImplicitTLS, "cla", "s3cr3t" }, "cla", true},
		{"plain relay on loopback", serverOpts{}, func(c *SMTPConfig) { c.TLS = NoTLS }, "", false},
		// The draft's own example prompts, and lower case: go-sasl's client
		// accepted only "Password:".
		{"AUTH LOGIN with the draft's prompts", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}, prompts: []string{"User Name\x00", "Password\x00"}},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "s3cr3t" }, "cla", true},
		{"AUTH LOGIN with lower-case prompts", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}, prompts: []string{"username:", "password:"}},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "s3cr3t" }, "cla", true},
		{"AUTH in clear on loopback", serverOpts{clear: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}},
			func(c *SMTPConfig) { c.TLS, c.Username, c.Password = NoTLS, "cla", "s3cr3t" }, "cla", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, tt.server)
			s := newTestSMTP(t, ts, tt.edit)
			if err := s.Send(context.Background(), testEnvelope(), raw); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := ts.Messages()
			if len(got) != 1 {
				t.Fatalf("server got %d messages", len(got))
			}
			m := got[0]
			if m.From != testFrom.Address || strings.Join(m.To, ",") != "juan.perez@example.pe" || m.User != tt.wantUser || m.TLS != tt.wantTLS {
				t.Errorf("got from %q to %v user %q tls %v", m.From, m.To, m.User, m.TLS)
			}
			if !bytes.Equal(m.Data, raw) {
				t.Errorf("server got %d bytes that differ from the %d sent", len(m.Data), len(raw))
			}
			_, parts := parseMessage(t, m.Data)
			if !bytes.Equal(parts[2].Body, fakePDF(150<<10)) {
				t.Error("attachment differs after SMTP")
			}
		})
	}
}

// Nothing reaches MAIL FROM when the session cannot be set up safely.
func TestSMTPRefusesUnsafeSessions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		server serverOpts
		edit   func(*SMTPConfig)
		want   error
		why    string // in the error text, when the sentinel is not enough
	}{
		{"no STARTTLS offered", serverOpts{}, nil, ErrNoStartTLS, "STARTTLS"},
		{"untrusted certificate", serverOpts{tls: true}, func(c *SMTPConfig) { c.TLSConfig = nil }, ErrUnavailable, "certificate"},
		{"wrong host name in certificate", serverOpts{tls: true}, func(c *SMTPConfig) { c.TLSConfig.ServerName = "mail.example.pe" }, ErrUnavailable, "certificate"},
		{"wrong password", serverOpts{tls: true, user: "cla", pass: "s3cr3t"},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "wrong" }, ErrUnavailable, "535"},
		{"no mechanism in common", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}},
			func(c *SMTPConfig) { c.Username, c.Password, c.Auth = "cla", "s3cr3t", "PLAIN" }, ErrUnavailable, "no AUTH mechanism"},
		{"LOGIN server asks a third time", serverOpts{tls: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}, prompts: []string{"Username:", "Password:", "Password again:"}},
			func(c *SMTPConfig) { c.Username, c.Password = "cla", "s3cr3t" }, ErrUnavailable, "unexpected server challenge"},
		{"PLAIN in clear to a non-loopback name", serverOpts{clear: true, user: "cla", pass: "s3cr3t", mechs: []string{"PLAIN"}},
			clearTo("relay.test"), ErrUnavailable, "unencrypted"},
		{"LOGIN in clear to a non-loopback name", serverOpts{clear: true, user: "cla", pass: "s3cr3t", mechs: []string{"LOGIN"}},
			clearTo("relay.test"), ErrUnavailable, "unencrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, tt.server)
			s := newTestSMTP(t, ts, tt.edit)
			err := s.Send(context.Background(), testEnvelope(), []byte("Subject: x\r\n\r\nx\r\n"))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("err = %v, want %v (%q)", err, tt.want, tt.why)
			}
			if mails, _ := ts.Counts(); mails != 0 {
				t.Errorf("server saw %d MAIL commands", mails)
			}
		})
	}
}

// clearTo configures AUTH over NoTLS to a host name that is not loopback,
// while dialling the test server.
func clearTo(host string) func(*SMTPConfig) {
	return func(c *SMTPConfig) {
		port := c.Port
		c.TLS, c.Host, c.Username, c.Password = NoTLS, host, "cla", "s3cr3t"
		c.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		}
	}
}

func TestSMTPClassifiesReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		mail, rcpt, data error
		want             error
	}{
		{"550 unknown mailbox", nil, smtpErr(550, "5.1.1 <juan.perez@example.pe>: user unknown"), nil, ErrRejected},
		{"553 bad address", nil, smtpErr(553, "mailbox name not allowed"), nil, ErrRejected},
		{"450 mailbox busy", nil, smtpErr(450, "try later"), nil, ErrDeferred},
		{"452 too many recipients", nil, smtpErr(452, "slow down"), nil, ErrDeferred},
		{"554 content refused", nil, nil, smtpErr(554, "spam"), ErrRejected},
		{"451 local error in DATA", nil, nil, smtpErr(451, "disk"), ErrDeferred},
		{"sender refused: our configuration", smtpErr(553, "5.7.1 sender not authorised"), nil, nil, ErrUnavailable},
		{"sender deferred", smtpErr(451, "4.3.0 try later"), nil, nil, ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := startServer(t, serverOpts{tls: true})
			ts.SetMailHook(func() error { return tt.mail })
			ts.SetRcptHook(func(int) error { return tt.rcpt })
			ts.SetDataHook(func() error { return tt.data })
			err := newTestSMTP(t, ts, nil).Send(context.Background(), testEnvelope(), []byte("Subject: x\r\n\r\nx\r\n"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if len(ts.Messages()) != 0 {
				t.Error("server kept the message")
			}
		})
	}
}

func TestSMTPConnectionRefused(t *testing.T) {
	t.Parallel()
	err := newTestSMTP(t, &testServer{Port: freePort(t), Certs: testRoots()}, nil).Send(context.Background(), testEnvelope(), []byte("x"))
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

// A server that accepts the connection and never speaks: the command
// timeout ends the wait.
func TestSMTPCommandTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ts := &testServer{Port: ln.Addr().(*net.TCPAddr).Port}
	s := newTestSMTP(t, ts, func(c *SMTPConfig) { c.CommandTimeout = 50 * time.Millisecond })
	err = s.Send(context.Background(), testEnvelope(), []byte("x"))
	var ne net.Error
	if !errors.Is(err, ErrUnavailable) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout and ErrUnavailable", err)
	}
}

// Cancelling the context aborts a session stuck waiting for the server.
func TestSMTPContextCancel(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true})
	release := make(chan struct{})
	defer close(release)
	ts.SetDataHook(func() error { <-release; return nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- newTestSMTP(t, ts, nil).Send(ctx, testEnvelope(), []byte("Subject: x\r\n\r\nx\r\n")) }()
	waitFor(t, "RCPT", func() bool { _, r := ts.Counts(); return r == 1 })
	cancel()
	if err := <-done; err == nil {
		t.Fatal("Send succeeded after cancel")
	}
}

// A server that takes the body and never gives the final reply: DataTimeout
// ends the wait, the message is deferred.
func TestSMTPDataTimeout(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true})
	release := make(chan struct{})
	defer close(release)
	ts.SetDataHook(func() error { <-release; return nil })
	s := newTestSMTP(t, ts, func(c *SMTPConfig) { c.DataTimeout = 100 * time.Millisecond })
	start := time.Now()
	err := s.Send(context.Background(), testEnvelope(), []byte("Subject: x\r\n\r\nx\r\n"))
	var ne net.Error
	if !errors.Is(err, ErrDeferred) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout and ErrDeferred", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v", d)
	}
}

func TestNewSMTPChecksConfig(t *testing.T) {
	t.Parallel()
	if s, err := NewSMTP(SMTPConfig{Host: "x", Auth: "login"}); err != nil || s.cfg.Auth != "LOGIN" {
		t.Errorf("lower-case mechanism: %v", err)
	}
	for _, c := range []SMTPConfig{{}, {Host: "x", TLS: 7}, {Host: "x", Auth: "CRAM-MD5"}} {
		if _, err := NewSMTP(c); err == nil {
			t.Errorf("NewSMTP(%+v) accepted", c)
		}
	}
	ports := map[TLSMode]int{StartTLS: 587, ImplicitTLS: 465, NoTLS: 25}
	for mode, port := range ports {
		s, err := NewSMTP(SMTPConfig{Host: "smtp.example.pe", TLS: mode})
		if err != nil || s.cfg.Port != port || s.cfg.CommandTimeout != DefaultCommandTimeout {
			t.Errorf("%v: port %d, %v", mode, s.cfg.Port, err)
		}
	}
}

func TestParseTLSMode(t *testing.T) {
	t.Parallel()
	for _, m := range []TLSMode{StartTLS, ImplicitTLS, NoTLS} {
		if got, err := ParseTLSMode(m.String()); err != nil || got != m {
			t.Errorf("ParseTLSMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseTLSMode("ssl"); err == nil {
		t.Error("accepted ssl")
	}
}

// freePort returns a loopback port that nothing listens on (for now).
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
