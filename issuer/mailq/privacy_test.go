package mailq

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Logs name messages by id and recipients by hash, even when the server's
// reply quotes the address (Ley 29733).
func TestLogsHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(n int) error {
		switch n {
		case 1:
			return smtpErr(451, "4.7.1 <juan.perez@example.pe> greylisted")
		case 3:
			return smtpErr(550, "5.1.1 <rosa.quispe@example.pe>: no such user")
		}
		return nil
	})
	var logs syncBuffer
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	c := &clock{}
	d := deliverer(t, s, smtpSender(t, ts), func(o *Options) { o.Logger, o.Concurrency, o.Now = testLogger(&logs), 1, c.Now })
	queue(t, s, time.Now(), "juan.perez@example.pe")
	run(t, d)
	waitFor(t, "deferred", func() bool { return outboxMails(t, s)[0].Attempts == 1 })
	if m := outboxMails(t, s)[0]; strings.Contains(m.Error, "juan") {
		t.Errorf("the outbox keeps the server's reply with the address: %q", m.Error)
	}
	c.Advance(time.Minute)
	d.Wake()
	waitFor(t, "sent", func() bool { return stats(t, d).Sent == 1 })
	queue(t, s, time.Now(), "rosa.quispe@example.pe")
	d.Wake()
	waitFor(t, "dead", func() bool { return stats(t, d).Dead == 1 })

	out := logs.String()
	for _, secret := range []string{"juan", "Juan", "rosa", "Rosa", "Quispe", "P\\u00e9rez", "Pérez", "example.pe"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"mail deferred", "mail sent", "mail dead-lettered",
		HashAddress("juan.perez@example.pe"), "addr:" + HashAddress("rosa.quispe@example.pe")} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"550 5.1.1 <Juan@Example.pe>: unknown", "550 5.1.1 <addr:" + HashAddress("juan@example.pe") + ">: unknown"},
		{"no address here", "no address here"},
		{"a@b, c@d", "addr:" + HashAddress("a@b") + ", addr:" + HashAddress("c@d")},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
