package mailq

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// A real SMTP server (emersion/go-smtp) on loopback, recording what it
// accepts. Its hooks make it refuse, defer or stall on demand.

type received struct {
	From string
	To   []string
	Data []byte
	User string // authenticated user, "" if none
	TLS  bool
}

type testServer struct {
	Addr  string
	Port  int
	Certs *x509.CertPool // trusts the server's self-signed certificate

	mu       sync.Mutex
	msgs     []received
	rcpts    int // RCPT commands seen
	mails    int // MAIL commands seen
	rcptHook func(n int) error
	mailHook func() error
	dataHook func() error
	srv      *smtp.Server
	ln       net.Listener
}

type serverOpts struct {
	tls      bool   // offer STARTTLS
	implicit bool   // TLS from the first byte
	user     string // require AUTH with user/pass
	pass     string
	mechs    []string // AUTH mechanisms offered; default PLAIN
	addr     string   // listen address; default 127.0.0.1:0
	clear    bool     // offer AUTH without TLS
	// AUTH LOGIN's prompts; default "Username:" and "Password:". A third
	// asks once more after the password.
	prompts []string
}

func (s *testServer) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *testServer) Counts() (mails, rcpts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mails, s.rcpts
}

func (s *testServer) SetRcptHook(f func(n int) error) {
	s.mu.Lock()
	s.rcptHook = f
	s.mu.Unlock()
}

func (s *testServer) SetMailHook(f func() error) {
	s.mu.Lock()
	s.mailHook = f
	s.mu.Unlock()
}

func (s *testServer) SetDataHook(f func() error) {
	s.mu.Lock()
	s.dataHook = f
	s.mu.Unlock()
}

func startServer(t testing.TB, o serverOpts) *testServer {
	t.Helper()
	ts := &testServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, conn: c, opts: o}, nil
	}))
	srv.Domain = "mx.test"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = MaxMessageSize + 1<<20
	srv.ErrorLog = discardLogger{}
	srv.AllowInsecureAuth = o.clear
	cfg, pool := testCert()
	ts.Certs = pool
	if o.tls {
		srv.TLSConfig = cfg
	}
	addr := o.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if o.implicit {
		ln = tls.NewListener(ln, cfg)
	}
	ts.srv, ts.ln = srv, ln
	ts.Addr = ln.Addr().String()
	ts.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ts
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...interface{}) {}
func (discardLogger) Println(...interface{})        {}

type session struct {
	ts   *testServer
	conn *smtp.Conn
	opts serverOpts
	user string
	cur  received
}

func (s *session) AuthMechanisms() []string {
	if s.opts.user == "" {
		return nil
	}
	if s.opts.mechs != nil {
		return s.opts.mechs
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.opts.user || pass != s.opts.pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		prompts := s.opts.prompts
		if prompts == nil {
			prompts = []string{"Username:", "Password:"}
		}
		return &loginServer{check: check, prompts: prompts}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.opts.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.ts.mu.Lock()
	s.ts.mails++
	hook := s.ts.mailHook
	s.ts.mu.Unlock()
	if hook != nil {
		if err := hook(); err != nil {
			return err
		}
	}
	s.cur = received{From: from, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	s.ts.rcpts++
	n, hook := s.ts.rcpts, s.ts.rcptHook
	s.ts.mu.Unlock()
	if hook != nil {
		if err := hook(n); err != nil {
			return err
		}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	hook := s.ts.dataHook
	s.ts.mu.Unlock()
	if hook != nil {
		if err := hook(); err != nil {
			return err
		}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.cur.Data, s.cur.TLS = b, isTLS
	s.ts.mu.Lock()
	s.ts.msgs = append(s.ts.msgs, s.cur)
	s.ts.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN, which go-sasl lacks. It
// takes the user name as an initial response or after the first prompt,
// and checks the password after the last prompt.
type loginServer struct {
	check   func(user, pass string) error
	prompts []string
	step    int
	got     []string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	if l.step == 0 && len(resp) > 0 { // initial response: the user name
		l.step++
	}
	if l.step > 0 {
		l.got = append(l.got, string(resp))
	}
	if l.step < len(l.prompts) {
		l.step++
		return []byte(l.prompts[l.step-1]), false, nil
	}
	if len(l.got) != len(l.prompts) {
		return nil, true, errors.New("login: wrong number of answers")
	}
	return nil, true, l.check(l.got[0], l.got[1])
}

// smtpErr builds a reply the server sends.
func smtpErr(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}

// testCert is one self-signed certificate for 127.0.0.1 and localhost,
// shared by every test server, so a client configured before a server
// starts (the server-down test) trusts it; testRoots trusts it.
var testCert = sync.OnceValues(func() (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mx.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
})

func testRoots() *x509.CertPool { _, pool := testCert(); return pool }
