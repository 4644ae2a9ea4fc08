package mailq

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// The deliverer's tests run on a real bbolt file and, where a server is
// involved, a real SMTP conversation (server_test.go).

const testFromHeader = "Ministerio de Educación <constancias@minedu.gob.pe>"

func openBolt(t testing.TB, path string) *store.Bolt {
	t.Helper()
	s, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// queue adds one mail per address, each in its own transaction, and
// returns their Message-IDs' id parts.
func queue(t testing.TB, s store.Store, now time.Time, to ...string) []string {
	t.Helper()
	var ids []string
	for _, a := range to {
		id, err := NewMessageID(now, &seqRand{n: byte(len(ids) * 16)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Update(context.Background(), func(tx store.Tx) error {
			return tx.AddMail(&store.Mail{MessageID: id, Constancia: uint64(len(ids) + 1), To: a, Created: now})
		}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// composeTest makes the test message of any mail.
func composeTest(context.Context, *store.Mail) (*Message, error) {
	m := testMessage("x@example.pe")
	m.Attachments[0].Data = m.Attachments[0].Data[:16<<10]
	return m, nil
}

func smtpSender(t testing.TB, ts *testServer) *SMTP {
	return newTestSMTP(t, ts, func(c *SMTPConfig) {
		c.Username, c.Password = "cla", "s3cr3t"
		c.TLSConfig = &tls.Config{RootCAs: ts.Certs}
	})
}

// deliverer makes a deliverer over s; edit sets the rest.
func deliverer(t testing.TB, s *store.Bolt, sender Sender, edit func(*Options)) *Deliverer {
	t.Helper()
	o := Options{Outbox: s, Store: s, Sender: sender, From: testFromHeader, Compose: composeTest,
		Poll: 20 * time.Millisecond, Logger: testLogger(nil), Jitter: func() float64 { return 0.5 }}
	if edit != nil {
		edit(&o)
	}
	d, err := NewDeliverer(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// run runs d until the test ends (or stop is called).
func run(t testing.TB, d *Deliverer) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	stop = sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	return stop
}

func stats(t testing.TB, d *Deliverer) Stats {
	t.Helper()
	s, err := d.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// messageIDs returns the id parts of the Message-IDs the server received.
func messageIDs(t testing.TB, msgs []received) []string {
	t.Helper()
	var ids []string
	for _, m := range msgs {
		pm, err := netmail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		mid := strings.Trim(pm.Header.Get("Message-ID"), "<>")
		ids = append(ids, mid[:strings.IndexByte(mid, '@')])
	}
	return ids
}

func outboxMails(t testing.TB, s store.Store) []*store.Mail {
	t.Helper()
	var ms []*store.Mail
	if err := s.View(context.Background(), func(tx store.Tx) error {
		return tx.Mails(func(m *store.Mail) error { ms = append(ms, m); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return ms
}

// Mails reach a real SMTP server in the order queued (one deliverer),
// each with its own recipient and its Message-ID, and leave the outbox.
func TestDeliverOverSMTPInOrder(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	ids := queue(t, s, time.Now(), "ana@example.pe", "luis@example.pe", "rosa@example.pe")
	d := deliverer(t, s, smtpSender(t, ts), func(o *Options) { o.Concurrency = 1 })
	run(t, d)
	waitFor(t, "three sent", func() bool { return len(ts.Messages()) == 3 })
	if got := messageIDs(t, ts.Messages()); !slices.Equal(got, ids) {
		t.Errorf("delivered %v, want %v in order", got, ids)
	}
	for i, m := range ts.Messages() {
		if want := []string{"ana@example.pe", "luis@example.pe", "rosa@example.pe"}[i]; !slices.Equal(m.To, []string{want}) || !m.TLS || m.User != "cla" {
			t.Errorf("message %d: to %v, TLS %v, user %q; want %s over TLS as cla", i, m.To, m.TLS, m.User, want)
		}
		pm, err := netmail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		if to, err := pm.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To[0] {
			t.Errorf("message %d: To header %v (%v): want the mail's own address, not the composed one", i, to, err)
		}
	}
	waitFor(t, "empty outbox", func() bool { return len(outboxMails(t, s)) == 0 })
	if st := stats(t, d); st.Sent != 3 || st.Queued != 0 || st.Dead != 0 {
		t.Errorf("stats %+v", st)
	}
}

// The server will not start a transaction (421 to MAIL FROM): the
// deliverer pauses, charges no mail, then delivers when the server is
// back.
func TestDeliverServerDownThenBack(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	var mu sync.Mutex
	down := true
	ts.SetMailHook(func() error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return smtpErr(421, "4.3.2 service not available")
		}
		return nil
	})
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	queue(t, s, time.Now(), "ana@example.pe", "luis@example.pe")
	c := &clock{}
	d := deliverer(t, s, smtpSender(t, ts), func(o *Options) { o.Now, o.Concurrency = c.Now, 1 })
	run(t, d)
	waitFor(t, "a pause", func() bool { return !stats(t, d).PausedUntil.IsZero() })
	for _, m := range outboxMails(t, s) {
		if m.Attempts != 0 || m.Dead {
			t.Errorf("a server outage charged mail %d: %+v", m.ID, m)
		}
	}
	mu.Lock()
	down = false
	mu.Unlock()
	c.Advance(maxPause)
	d.Wake()
	waitFor(t, "both sent", func() bool { return len(ts.Messages()) == 2 })
	waitFor(t, "empty outbox", func() bool { return len(outboxMails(t, s)) == 0 })
	if st := stats(t, d); !st.PausedUntil.IsZero() || st.Queued != 0 || st.Failures == 0 {
		t.Errorf("after the outage: %+v", st)
	}
}

// A 4xx to RCPT defers that mail with backoff (kept in the outbox with
// its attempts and the reason), and it goes once due.
func TestDeliverRetries4xx(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(n int) error {
		if n == 1 {
			return smtpErr(451, "4.7.1 <ana@example.pe> greylisted")
		}
		return nil
	})
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	ids := queue(t, s, time.Now(), "ana@example.pe")
	c := &clock{}
	d := deliverer(t, s, smtpSender(t, ts), func(o *Options) { o.Now = c.Now })
	run(t, d)
	waitFor(t, "a deferral", func() bool { ms := outboxMails(t, s); return len(ms) == 1 && ms[0].Attempts == 1 })
	m := outboxMails(t, s)[0]
	if delay := m.Due.Sub(c.Now()); delay < 20*time.Second || delay > 31*time.Second || !strings.Contains(m.Error, "451") ||
		strings.Contains(m.Error, "ana@") || !strings.Contains(m.Error, HashAddress("ana@example.pe")) {
		t.Errorf("deferred mail: due in %v, reason %q; want ~30 s, the code, the address hashed", delay, m.Error)
	}
	time.Sleep(100 * time.Millisecond) // polls come and go: not due yet
	if len(ts.Messages()) != 0 {
		t.Fatal("sent before it was due")
	}
	c.Advance(time.Minute)
	waitFor(t, "the retry", func() bool { return len(ts.Messages()) == 1 })
	if got := messageIDs(t, ts.Messages()); !slices.Equal(got, ids) {
		t.Errorf("retry sent %v, want the same Message-ID %v", got, ids)
	}
}

// A 5xx is final: the mail is dead at once, kept with the reason (the
// address hashed) and never sent; Requeue makes it live again.
func TestDeliverDeadLetters5xx(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	refuse := true
	var mu sync.Mutex
	ts.SetRcptHook(func(int) error {
		mu.Lock()
		defer mu.Unlock()
		if refuse {
			return smtpErr(550, "5.1.1 <rosa@example.pe>: no such user")
		}
		return nil
	})
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	queue(t, s, time.Now(), "rosa@example.pe")
	d := deliverer(t, s, smtpSender(t, ts), nil)
	run(t, d)
	waitFor(t, "dead", func() bool { return stats(t, d).Dead == 1 })
	m := outboxMails(t, s)[0]
	if !m.Dead || !strings.Contains(m.Error, "550") || strings.Contains(m.Error, "rosa@") {
		t.Errorf("dead mail %+v", m)
	}
	_, rcpts := ts.Counts()
	time.Sleep(100 * time.Millisecond)
	if _, again := ts.Counts(); again != rcpts {
		t.Errorf("a dead mail was tried again (%d RCPTs, then %d)", rcpts, again)
	}
	mu.Lock()
	refuse = false
	mu.Unlock()
	if n, err := Requeue(context.Background(), s, time.Now()); n != 1 || err != nil {
		t.Fatalf("Requeue = %d, %v", n, err)
	}
	d.Wake()
	waitFor(t, "the requeued mail sent", func() bool { return len(ts.Messages()) == 1 })
}

// A mail the server keeps deferring dies once it is older than MaxAge;
// dead mails are deleted after DeadRetention.
func TestDeliverExpiresAndPrunes(t *testing.T) {
	t.Parallel()
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	ts.SetRcptHook(func(int) error { return smtpErr(452, "4.2.2 mailbox full") })
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	c := &clock{}
	queue(t, s, c.Now(), "ana@example.pe")
	d := deliverer(t, s, smtpSender(t, ts), func(o *Options) { o.Now, o.MaxAge = c.Now, time.Hour })
	run(t, d)
	waitFor(t, "a deferral", func() bool { return outboxMails(t, s)[0].Attempts == 1 })
	c.Advance(2 * time.Hour)
	d.Wake()
	waitFor(t, "expiry", func() bool { return outboxMails(t, s)[0].Dead })
	if m := outboxMails(t, s)[0]; !strings.Contains(m.Error, "expired after") || !strings.Contains(m.Error, "452") {
		t.Errorf("expired mail's reason %q", m.Error)
	}
	if n, err := d.PruneDead(context.Background()); n != 0 || err != nil {
		t.Fatalf("pruned a fresh dead mail: %d, %v", n, err)
	}
	c.Advance(DefaultDeadRetention + time.Hour)
	if n, err := d.PruneDead(context.Background()); n != 1 || err != nil {
		t.Fatalf("PruneDead after the retention = %d, %v", n, err)
	}
	if ms := outboxMails(t, s); len(ms) != 0 {
		t.Errorf("left after pruning: %+v", ms)
	}
}

// A mail whose constancia is gone (erased) is dropped, not retried.
func TestDeliverDropsWhatIsGone(t *testing.T) {
	t.Parallel()
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	queue(t, s, time.Now(), "ana@example.pe")
	r := &recorder{}
	d := deliverer(t, s, r, func(o *Options) {
		o.Compose = func(context.Context, *store.Mail) (*Message, error) {
			return nil, fmt.Errorf("constancia 1: %w", store.ErrNotFound)
		}
	})
	run(t, d)
	waitFor(t, "the mail dropped", func() bool { return len(outboxMails(t, s)) == 0 })
	if len(r.IDs()) != 0 {
		t.Error("a mail with nothing to send was sent")
	}
}

// At most Concurrency deliveries at once; shutdown in the middle of
// them keeps their mails as they were.
func TestDeliverBoundsConcurrencyAndShutdown(t *testing.T) {
	t.Parallel()
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	addrs := make([]string, 12)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("p%d@example.pe", i)
	}
	queue(t, s, time.Now(), addrs...)
	block := make(chan struct{})
	r := &recorder{hook: func(ctx context.Context, _ Envelope) error {
		select {
		case <-block:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	d := deliverer(t, s, r, func(o *Options) { o.Concurrency = 3 })
	stop := run(t, d)
	waitFor(t, "three in flight", func() bool { return r.MaxInFlight() == 3 })
	time.Sleep(50 * time.Millisecond)
	if r.MaxInFlight() != 3 {
		t.Errorf("%d deliveries at once, Concurrency 3", r.MaxInFlight())
	}
	stop()
	ms := outboxMails(t, s)
	if len(ms) != 12 {
		t.Fatalf("%d mails left after a shutdown mid-delivery, want 12", len(ms))
	}
	for _, m := range ms {
		if m.Attempts != 0 || m.Dead || m.Error != "" {
			t.Errorf("shutdown charged mail %d: %+v", m.ID, m)
		}
	}
	close(block)
	run(t, deliverer(t, s, r, nil))
	waitFor(t, "all sent after the restart", func() bool { return len(r.IDs()) == 12 })
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

// The crash test re-runs this test binary as a helper process that
// delivers from a bbolt file to a real SMTP server whose DATA never
// ends; the test kills it with SIGKILL mid-conversation, reopens the file
// and delivers again: every mail arrives, the one in flight at least
// once, all with their Message-IDs.
const (
	crashDBEnv   = "CLA_MAIL_CRASH_DB"
	crashSMTPEnv = "CLA_MAIL_CRASH_SMTP"
)

func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		t.Skip("helper process for the crash test")
	}
	s := openBolt(t, path)
	var port int
	fmt.Sscan(os.Getenv(crashSMTPEnv), &port)
	sender, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: NoTLS})
	if err != nil {
		t.Fatal(err)
	}
	d := deliverer(t, s, sender, func(o *Options) { o.Concurrency = 1 })
	fmt.Println("delivering") // unbuffered: one write(2)
	d.Run(context.Background())
}

func TestCrashDuringDeliveryLosesNothing(t *testing.T) {
	if os.Getenv(crashDBEnv) != "" {
		t.Skip("in the helper")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db")
	s := openBolt(t, path)
	ids := queue(t, s, time.Now(), "ana@example.pe", "luis@example.pe", "rosa@example.pe")
	s.Close()

	ts := startServer(t, serverOpts{})
	stall := make(chan struct{})
	var once sync.Once
	inData := make(chan struct{})
	ts.SetDataHook(func() error {
		once.Do(func() { close(inData) })
		<-stall
		return nil
	})
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path, fmt.Sprintf("%s=%d", crashSMTPEnv, ts.Port))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if sc := bufio.NewScanner(out); !sc.Scan() || sc.Text() != "delivering" {
		t.Fatalf("helper said %q", sc.Text())
	}
	select {
	case <-inData:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the helper never reached DATA")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("helper ended with %v, want killed", err)
	}
	close(stall)
	ts.SetDataHook(nil)

	s = openBolt(t, path)
	if n := len(outboxMails(t, s)); n != 3 {
		t.Fatalf("%d mails in the outbox after the kill, want all 3", n)
	}
	sender, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: ts.Port, TLS: NoTLS})
	if err != nil {
		t.Fatal(err)
	}
	run(t, deliverer(t, s, sender, nil))
	waitFor(t, "empty outbox", func() bool { return len(outboxMails(t, s)) == 0 })
	got := messageIDs(t, ts.Messages())
	for _, id := range ids {
		if !slices.Contains(got, id) {
			t.Errorf("mail %s lost in the crash (received %v)", id, got)
		}
	}
	if len(got) > len(ids)+1 {
		t.Errorf("%d messages received for %d mails and one crash: %v", len(got), len(ids), got)
	}
}

func TestNewDelivererChecks(t *testing.T) {
	t.Parallel()
	s := openBolt(t, filepath.Join(t.TempDir(), "db"))
	full := Options{Outbox: s, Store: s, Sender: &recorder{}, From: testFromHeader, Compose: composeTest}
	for name, edit := range map[string]func(*Options){
		"no outbox": func(o *Options) { o.Outbox = nil }, "no sender": func(o *Options) { o.Sender = nil },
		"no compose": func(o *Options) { o.Compose = nil }, "bad from": func(o *Options) { o.From = "not an address" },
	} {
		o := full
		edit(&o)
		if _, err := NewDeliverer(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewDeliverer(full); err != nil {
		t.Error(err)
	}
	_ = errors.New
}
