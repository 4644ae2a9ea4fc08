package mailq

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestQueueDeliversOverSMTPInOrder(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	dir := t.TempDir()
	q := openQueue(t, dir, smtpSender(t, ts), func(o *Options) { o.Concurrency = 1 })
	var want []string
	for range 8 {
		want = append(want, enqueue(t, q, "Juan Pérez <juan.perez@example.pe>"))
	}
	if s := q.Stats(); s.Queued != 8 || s.Oldest.IsZero() {
		t.Errorf("before Run: %+v", s)
	}
	runQueue(t, q)
	waitFor(t, "8 sent", func() bool { return q.Stats().Sent == 8 })
	if got := messageIDs(t, ts.Messages()); !slices.Equal(got, want) {
		t.Errorf("delivered %v\nwant     %v", got, want)
	}
	if left := spoolFiles(t, dir, "*.msg"); len(left) != 0 {
		t.Errorf("spool still holds %v: a sent message must leave no copy", left)
	}
	if s := q.Stats(); s.Queued != 0 || s.Dead != 0 || s.Failures != 0 || !s.Oldest.IsZero() {
		t.Errorf("after: %+v", s)
	}
}

// The server is down when the messages are queued (connection refused),
// then comes back on the same port: each message arrives exactly once.
func TestQueueServerDownThenBack(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	dir := t.TempDir()
	q := openQueue(t, dir, smtpSender(t, &testServer{Port: port, Certs: testRoots()}), func(o *Options) { o.Concurrency = 1 })
	runQueue(t, q)
	var want []string
	for range 3 {
		want = append(want, enqueue(t, q, "juan.perez@example.pe"))
	}
	waitFor(t, "failed attempts while down", func() bool { return q.Stats().Failures >= 3 })
	if s := q.Stats(); s.Queued != 3 || s.Sent != 0 || s.Retrying != 0 {
		t.Errorf("while down: %+v (an outage charges no message)", s)
	}
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t", addr: "127.0.0.1:" + strconv.Itoa(port)})
	waitFor(t, "3 sent", func() bool { return q.Stats().Sent == 3 })
	time.Sleep(10 * fastRetry.Max) // long enough for any stray retry
	got := messageIDs(t, ts.Messages())
	if !slices.Equal(got, want) {
		t.Errorf("delivered %v\nwant exactly once, in order: %v", got, want)
	}
	if mails, _ := ts.Counts(); mails != 3 {
		t.Errorf("server saw %d MAIL commands, want 3", mails)
	}
	if left := spoolFiles(t, dir, "*.msg"); len(left) != 0 {
		t.Errorf("spool still holds %v", left)
	}
	if s := q.Stats(); !s.PausedUntil.IsZero() {
		t.Errorf("still paused: %+v", s)
	}
}

func TestQueueRetries4xx(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(n int) error {
		if n <= 2 {
			return smtpErr(451, "4.7.1 greylisted, try again")
		}
		return nil
	})
	q := openQueue(t, t.TempDir(), smtpSender(t, ts), nil)
	runQueue(t, q)
	id := enqueue(t, q, "juan.perez@example.pe")
	waitFor(t, "sent", func() bool { return q.Stats().Sent == 1 })
	if got := messageIDs(t, ts.Messages()); !slices.Equal(got, []string{id}) {
		t.Errorf("delivered %v", got)
	}
	if _, rcpts := ts.Counts(); rcpts != 3 {
		t.Errorf("%d RCPT commands, want 3 (two deferred, one accepted)", rcpts)
	}
	if s := q.Stats(); s.Failures != 2 || s.Dead != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestQueueDeadLetters5xxAtOnce(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(int) error { return smtpErr(550, "5.1.1 <nadie@example.pe>: mailbox unknown") })
	dir := t.TempDir()
	q := openQueue(t, dir, smtpSender(t, ts), nil)
	runQueue(t, q)
	id := enqueue(t, q, "nadie@example.pe")
	waitFor(t, "dead letter", func() bool { return q.Stats().Dead == 1 })
	time.Sleep(10 * fastRetry.Max)
	if _, rcpts := ts.Counts(); rcpts != 1 {
		t.Errorf("%d RCPT commands: a 5xx must not be retried", rcpts)
	}
	if got := spoolFiles(t, filepath.Join(dir, "dead"), "*"); !slices.Equal(got, []string{id + ".msg", id + ".reason"}) {
		t.Errorf("dead/ holds %v", got)
	}
	reason := string(readFile(t, filepath.Join(dir, "dead", id+".reason")))
	if !strings.Contains(reason, "550") || !strings.Contains(reason, "attempts: 1") {
		t.Errorf("reason:\n%s", reason)
	}
	if _, err := decodeRecord(readFile(t, filepath.Join(dir, "dead", id+".msg"))); err != nil {
		t.Errorf("dead letter does not decode: %v", err)
	}
	if s := q.Stats(); s.Queued != 0 || len(spoolFiles(t, dir, "*.msg")) != 0 {
		t.Errorf("still queued: %+v", s)
	}
}

// An operator who fixed the cause puts a dead letter back; it is
// delivered once and leaves dead/.
func TestQueueRequeue(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(int) error { return smtpErr(554, "5.7.1 relay access denied") })
	dir := t.TempDir()
	q := openQueue(t, dir, smtpSender(t, ts), nil)
	runQueue(t, q)
	id := enqueue(t, q, "juan.perez@example.pe")
	waitFor(t, "dead letter", func() bool { return q.Stats().Dead == 1 })
	ts.SetRcptHook(nil)
	if err := q.Requeue("20260301T143000.123456789Z-000000000000"); err == nil {
		t.Error("requeued a message that is not there")
	}
	if err := q.Requeue(id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sent", func() bool { return q.Stats().Sent == 1 })
	if got := messageIDs(t, ts.Messages()); !slices.Equal(got, []string{id}) {
		t.Errorf("delivered %v", got)
	}
	if got := spoolFiles(t, filepath.Join(dir, "dead"), "*"); len(got) != 0 || q.Stats().Dead != 0 {
		t.Errorf("dead/ holds %v, stats %+v", got, q.Stats())
	}
}

// A message deferred past MaxAge is given up.
func TestQueueExpiresAfterMaxAge(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(int) error { return smtpErr(452, "4.2.2 mailbox full") })
	clk := &clock{}
	dir := t.TempDir()
	q := openQueue(t, dir, smtpSender(t, ts), func(o *Options) { o.Now, o.MaxAge = clk.Now, 24*time.Hour })
	runQueue(t, q)
	id := enqueue(t, q, "juan.perez@example.pe")
	waitFor(t, "a deferral", func() bool { return q.Stats().Retrying == 1 })
	if q.Stats().Dead != 0 {
		t.Fatal("dead before MaxAge")
	}
	clk.Advance(25 * time.Hour)
	waitFor(t, "expiry", func() bool { return q.Stats().Dead == 1 })
	reason := string(readFile(t, filepath.Join(dir, "dead", id+".reason")))
	if !strings.Contains(reason, "expired after 25h") || !strings.Contains(reason, "452") {
		t.Errorf("reason:\n%s", reason)
	}
}

// A new Queue on the same folder (the issuer restarted) delivers what the
// old one left, oldest first.
func TestQueueRestartPicksUpSpool(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := &clock{}
	old := openQueue(t, dir, &recorder{}, func(o *Options) { o.Now = clk.Now })
	var want []string
	for range 5 {
		want = append(want, enqueue(t, old, "juan.perez@example.pe"))
		clk.Advance(-time.Minute) // a clock stepped back: the enqueue time in each file decides
	}
	slices.Reverse(want) // enqueue times went backwards, so the oldest is the last
	rec := &recorder{}
	q := openQueue(t, dir, rec, func(o *Options) { o.Concurrency = 1 })
	if s := q.Stats(); s.Queued != 5 {
		t.Fatalf("reopened queue holds %d", s.Queued)
	}
	runQueue(t, q)
	waitFor(t, "5 sent", func() bool { return q.Stats().Sent == 5 })
	if got := rec.IDs(); !slices.Equal(got, want) {
		t.Errorf("delivered %v\nwant     %v", got, want)
	}
}

func TestQueueOutboxDefault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"CLA_MAIL_SPOOL": filepath.Join(dir, "spool"), "CLA_MAIL_OUTBOX": filepath.Join(dir, "outbox")}[k]
	})
	if err != nil || cfg.SMTP != nil {
		t.Fatalf("config %+v, %v", cfg, err)
	}
	q, err := cfg.Open(Options{Logger: testLogger(nil)})
	if err != nil {
		t.Fatal(err)
	}
	runQueue(t, q)
	m := testMessage("Juan Pérez <juan.perez@example.pe>")
	id, err := q.Enqueue(m)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sent", func() bool { return q.Stats().Sent == 1 })
	msg, parts := parseMessage(t, readFile(t, filepath.Join(dir, "outbox", id+".eml")))
	if !strings.Contains(msg.Header.Get("From"), "no-reply@cla.localhost") || !bytes.Equal(parts[2].Body, m.Attachments[0].Data) {
		t.Errorf("outbox message: From %q", msg.Header.Get("From"))
	}
	if left := spoolFiles(t, filepath.Join(dir, "spool"), "*.msg"); len(left) != 0 {
		t.Errorf("spool still holds %v", left)
	}
}

func TestQueueBoundsConcurrency(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := &recorder{hook: func(ctx context.Context, _ Envelope) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	q := openQueue(t, t.TempDir(), rec, func(o *Options) { o.Concurrency = 3 })
	for range 10 {
		enqueue(t, q, "a@example.pe")
	}
	runQueue(t, q)
	waitFor(t, "3 in flight", func() bool { return q.Stats().InFlight == 3 })
	// The queue counts a delivery in flight a moment before the sender is
	// called: wait until all three are inside it, or the third may find the
	// release already closed and never overlap (a flake CI met).
	waitFor(t, "3 in the sender", func() bool { return rec.MaxInFlight() == 3 })
	time.Sleep(20 * time.Millisecond) // room for a fourth, were the bound broken
	if s := q.Stats(); s.InFlight != 3 {
		t.Errorf("%d in flight, want 3", s.InFlight)
	}
	close(release)
	waitFor(t, "10 sent", func() bool { return q.Stats().Sent == 10 })
	if n := rec.MaxInFlight(); n != 3 {
		t.Errorf("max in flight %d, want 3", n)
	}
}

// Stopping Run cancels a delivery in flight; the message stays queued and
// is not charged an attempt.
func TestQueueShutdownKeepsMessage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec := &recorder{hook: func(ctx context.Context, _ Envelope) error { <-ctx.Done(); return ctx.Err() }}
	q := openQueue(t, dir, rec, nil)
	id := enqueue(t, q, "a@example.pe")
	stop := runQueue(t, q)
	waitFor(t, "in flight", func() bool { return q.Stats().InFlight == 1 })
	stop()
	if s := q.Stats(); s.Queued != 1 || s.InFlight != 0 || s.Failures != 0 {
		t.Errorf("after stop: %+v", s)
	}
	if got := spoolFiles(t, dir, "*.msg"); !slices.Equal(got, []string{id + ".msg"}) {
		t.Errorf("spool %v", got)
	}
}

func TestQueueRunTwice(t *testing.T) {
	t.Parallel()
	q := openQueue(t, t.TempDir(), &recorder{}, nil)
	runQueue(t, q)
	waitFor(t, "running", q.running.Load)
	if err := q.Run(context.Background()); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run: %v", err)
	}
}

// Open clears crash leftovers: temporaries go, a file that does not decode
// goes to dead/ instead of blocking the queue.
func TestOpenCleansSpool(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	q := openQueue(t, dir, &recorder{}, nil)
	good := enqueue(t, q, "a@example.pe")
	bad := strings.Replace(good, "-", "-f", 1)[:idLen]
	torn := readFile(t, q.spoolPath(good))
	for name, data := range map[string][]byte{
		bad + ".msg":    torn[:len(torn)/2],
		".tmp-123":      []byte("half a message"),
		"dead/.tmp-456": []byte("half a reason"),
		"notes.txt":     []byte("left alone"),
		"not-an-id.msg": []byte("left alone"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	q = openQueue(t, dir, &recorder{}, nil)
	if s := q.Stats(); s.Queued != 1 || s.Dead != 1 {
		t.Errorf("stats %+v", s)
	}
	if got := spoolFiles(t, dir, "*"); !slices.Equal(got, []string{good + ".msg", "dead", "not-an-id.msg", "notes.txt"}) {
		t.Errorf("spool holds %v", got)
	}
	if got := spoolFiles(t, filepath.Join(dir, "dead"), "*"); !slices.Equal(got, []string{bad + ".msg", bad + ".reason"}) {
		t.Errorf("dead/ holds %v", got)
	}
}

func TestPruneDead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := &clock{}
	rec := &recorder{hook: func(context.Context, Envelope) error { return ErrRejected }}
	q := openQueue(t, dir, rec, func(o *Options) { o.Now, o.DeadRetention = clk.Now, 30*24*time.Hour })
	enqueue(t, q, "a@example.pe")
	runQueue(t, q)
	waitFor(t, "dead", func() bool { return q.Stats().Dead == 1 })
	if n, err := q.PruneDead(); n != 0 || err != nil {
		t.Errorf("pruned %d, %v before the retention ended", n, err)
	}
	clk.Advance(31 * 24 * time.Hour)
	if n, err := q.PruneDead(); n != 1 || err != nil {
		t.Errorf("pruned %d, %v", n, err)
	}
	if got := spoolFiles(t, filepath.Join(dir, "dead"), "*"); len(got) != 0 || q.Stats().Dead != 0 {
		t.Errorf("dead/ holds %v", got)
	}
}

func TestEnqueueRefusesBadMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	q := openQueue(t, dir, &recorder{}, nil)
	m := testMessage("a@example.pe")
	m.Subject = "Hola\r\nBcc: todos@example.com"
	if _, err := q.Enqueue(m); !errors.Is(err, ErrInvalidHeader) {
		t.Errorf("err = %v", err)
	}
	if got := spoolFiles(t, dir, "*.msg"); len(got) != 0 || q.Stats().Queued != 0 {
		t.Errorf("spool holds %v", got)
	}
}

func TestOpenChecksOptions(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{}, {From: testFromHeader}, {Sender: &recorder{}, From: "nobody"}, {Sender: &recorder{}, From: "a@b\r\nBcc: c@d"}} {
		if _, err := Open(t.TempDir(), o); err == nil {
			t.Errorf("Open(%+v) accepted", o)
		}
	}
}

// While the server is unreachable the queue pauses, then probes it with
// one message at a time; once one gets through, all flow again.
func TestQueueProbesOneAtATimeAfterOutage(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls, probesIn, maxProbes := 0, 0, 0
	down := errors.New("dial tcp: connection refused")
	s := senderFunc(func(ctx context.Context, env Envelope, _ []byte) error {
		mu.Lock()
		calls++
		n := calls
		probe := n > 4 && n <= 9 // after the first wave (≤ 4), calls probe until the 9th gets through
		if probe {
			probesIn++
			maxProbes = max(maxProbes, probesIn)
		}
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		if probe {
			probesIn--
		}
		if n <= 8 {
			return down
		}
		return nil
	})
	q := openQueue(t, t.TempDir(), s, func(o *Options) { o.Concurrency = 4 })
	for range 6 {
		enqueue(t, q, "a@example.pe")
	}
	runQueue(t, q)
	waitFor(t, "6 sent", func() bool { return q.Stats().Sent == 6 })
	mu.Lock()
	defer mu.Unlock()
	if maxProbes != 1 {
		t.Errorf("%d probes at once, want 1", maxProbes)
	}
	if s := q.Stats(); s.Failures < 5 || s.Retrying != 0 {
		t.Errorf("stats %+v", s)
	}
}

type senderFunc func(ctx context.Context, env Envelope, msg []byte) error

func (f senderFunc) Send(ctx context.Context, env Envelope, msg []byte) error {
	return f(ctx, env, msg)
}
