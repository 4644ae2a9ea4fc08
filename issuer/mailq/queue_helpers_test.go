package mailq

import (
	"context"
	"crypto/tls"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"
)

const testFromHeader = "Ministerio de Educación <constancias@minedu.gob.pe>"

// fastRetry keeps tests quick: 5 ms doubling to 40 ms, no jitter.
var fastRetry = Backoff{Initial: 5 * time.Millisecond, Max: 40 * time.Millisecond}

func openQueue(t testing.TB, dir string, s Sender, edit func(*Options)) *Queue {
	t.Helper()
	opt := Options{From: testFromHeader, Sender: s, Retry: fastRetry, Logger: testLogger(nil)}
	if edit != nil {
		edit(&opt)
	}
	q, err := Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// runQueue starts q.Run and returns a function that stops it and waits.
func runQueue(t testing.TB, q *Queue) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func enqueue(t testing.TB, q *Queue, to string) string {
	t.Helper()
	id, err := q.Enqueue(testMessage(to))
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return id
}

// smtpSender is a STARTTLS + AUTH PLAIN sender for ts.
func smtpSender(t testing.TB, ts *testServer) *SMTP {
	return newTestSMTP(t, ts, func(c *SMTPConfig) {
		c.Username, c.Password = "cla", "s3cr3t"
		c.TLSConfig = &tls.Config{RootCAs: ts.Certs}
	})
}

// messageIDs returns the queue ids of what the server received, in order.
func messageIDs(t testing.TB, msgs []received) []string {
	t.Helper()
	var ids []string
	for _, m := range msgs {
		pm, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		mid := strings.Trim(pm.Header.Get("Message-ID"), "<>")
		ids = append(ids, mid[:strings.IndexByte(mid, '@')])
	}
	return ids
}

// recorder is a Sender that records ids in delivery order; its hook can
// fail or block a delivery.
type recorder struct {
	mu       sync.Mutex
	ids      []string
	inFlight int
	maxIn    int
	hook     func(ctx context.Context, env Envelope) error
}

func (r *recorder) Send(ctx context.Context, env Envelope, msg []byte) error {
	r.mu.Lock()
	r.inFlight++
	r.maxIn = max(r.maxIn, r.inFlight)
	hook := r.hook
	r.mu.Unlock()
	var err error
	if hook != nil {
		err = hook(ctx, env)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	if err == nil {
		r.ids = append(r.ids, env.ID)
	}
	return err
}

func (r *recorder) MaxInFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxIn
}

func (r *recorder) IDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...)
}
