package e2e

import (
	"bufio"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultSMTPServer is a minimal SMTP server for the fault tests: it speaks
// real SMTP over TCP (RFC 5321: greeting, EHLO/HELO, MAIL, RCPT, DATA with
// dot-unstuffing, RSET, NOOP, QUIT), accepts every message and keeps it
// in memory. No TLS and no AUTH: the issuer is set to CLA_SMTP_TLS=none on
// loopback, as docs/MAIL.md allows for a relay without TLS.
type faultSMTPServer struct {
	ln       net.Listener
	mu       sync.Mutex
	msgs     []faultSMTPMessage
	sessions int
	conns    map[net.Conn]bool
	wg       sync.WaitGroup
}

// faultSMTPMessage is one accepted message: its envelope and its data
// (dot-unstuffed, with LF line ends as net/textproto's DotReader gives).
type faultSMTPMessage struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

// faultStartSMTP listens on addr and serves until the test ends.
func faultStartSMTP(t testing.TB, addr string) *faultSMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("SMTP server on %s: %v", addr, err)
	}
	s := &faultSMTPServer{ln: ln, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.close)
	return s
}

func (s *faultSMTPServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.sessions++
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

// close stops listening, ends open sessions and waits for them.
func (s *faultSMTPServer) close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Messages returns a copy of what was accepted so far.
func (s *faultSMTPServer) Messages() []faultSMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]faultSMTPMessage(nil), s.msgs...)
}

// Sessions is the number of connections accepted.
func (s *faultSMTPServer) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// session runs one SMTP conversation. Each command has a generous
// deadline only so that a stuck client cannot hang the test.
func (s *faultSMTPServer) session(c net.Conn) {
	r := textproto.NewReader(bufio.NewReader(c))
	w := bufio.NewWriter(c)
	reply := func(lines ...string) bool {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		return w.Flush() == nil
	}
	if !reply("220 localhost ESMTP cla-e2e") {
		return
	}
	var from string
	var to []string
	for {
		c.SetDeadline(time.Now().Add(2 * time.Minute))
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		ok := true
		switch strings.ToUpper(verb) {
		case "EHLO":
			ok = reply("250-localhost greets "+arg, "250 HELP")
		case "HELO":
			ok = reply("250 localhost")
		case "MAIL":
			a, found := faultSMTPPath(arg, "FROM:")
			if !found {
				ok = reply("501 5.5.4 syntax: MAIL FROM:<address>")
				break
			}
			from, to = a, nil
			ok = reply("250 2.1.0 ok")
		case "RCPT":
			a, found := faultSMTPPath(arg, "TO:")
			switch {
			case from == "":
				ok = reply("503 5.5.1 MAIL first")
			case !found || a == "":
				ok = reply("501 5.5.4 syntax: RCPT TO:<address>")
			default:
				to = append(to, a)
				ok = reply("250 2.1.5 ok")
			}
		case "DATA":
			if len(to) == 0 {
				ok = reply("503 5.5.1 RCPT first")
				break
			}
			if !reply("354 end data with <CR><LF>.<CR><LF>") {
				return
			}
			data, err := io.ReadAll(r.DotReader())
			if err != nil {
				return
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, faultSMTPMessage{From: from, To: to, Data: data, At: time.Now()})
			s.mu.Unlock()
			from, to = "", nil
			ok = reply("250 2.0.0 ok: queued")
		case "RSET":
			from, to = "", nil
			ok = reply("250 2.0.0 ok")
		case "NOOP":
			ok = reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			ok = reply("502 5.5.2 command not implemented")
		}
		if !ok {
			return
		}
	}
}

// faultSMTPPath reads "FROM:<a@b> params" (prefix "FROM:") into "a@b".
func faultSMTPPath(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}
