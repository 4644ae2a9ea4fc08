package mailq

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The crash tests re-run this test binary as a helper process that
// enqueues messages without pause and prints each id once Enqueue has
// returned; the test kills it with SIGKILL, reopens the spool and checks
// that every id the helper printed is delivered.
const (
	crashSpoolEnv  = "CLA_MAIL_CRASH_SPOOL"
	crashOutboxEnv = "CLA_MAIL_CRASH_OUTBOX" // set: the helper also runs the queue into this outbox
	crashAcked     = 25                      // ids to read before the kill
)

func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashSpoolEnv)
	if dir == "" {
		t.Skip("helper process for the crash tests")
	}
	var s Sender = &recorder{hook: func(ctx context.Context, _ Envelope) error { <-ctx.Done(); return ctx.Err() }}
	if ob := os.Getenv(crashOutboxEnv); ob != "" {
		o, err := NewOutbox(ob)
		if err != nil {
			t.Fatal(err)
		}
		s = o
	}
	q, err := Open(dir, Options{From: testFromHeader, Sender: s, Logger: testLogger(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv(crashOutboxEnv) != "" {
		go q.Run(context.Background())
	}
	for i := 0; ; i++ {
		m := testMessage(fmt.Sprintf("persona%d@example.pe", i))
		m.Attachments[0].Data = m.Attachments[0].Data[:32<<10] // durability does not depend on size; -race does
		id, err := q.Enqueue(m)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(os.Stdout, "queued %s\n", id) // unbuffered: one write(2)
	}
}

// crashHelper starts the helper, reads crashAcked ids, kills it with
// SIGKILL and returns the ids it printed.
func crashHelper(t *testing.T, spool, outbox string) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashSpoolEnv+"="+spool, crashOutboxEnv+"="+outbox)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for len(acked) < crashAcked && sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "queued "); ok {
			acked = append(acked, id)
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("helper ended with %v (%d ids read), want killed", err, len(acked))
	}
	if len(acked) < crashAcked {
		t.Fatalf("helper printed only %d ids", len(acked))
	}
	return acked
}

// Killed right after Enqueue returned: after the restart every message
// whose Enqueue returned reaches the SMTP server, each exactly once.
func TestCrashAfterEnqueueLosesNothing(t *testing.T) {
	if os.Getenv(crashSpoolEnv) != "" {
		t.Skip("in the helper")
	}
	t.Parallel()
	dir := t.TempDir()
	acked := crashHelper(t, dir, "")

	t.Logf("the kill left %d temporary files", len(spoolFiles(t, dir, ".*.tmp-*")))
	ts := startServer(t, serverOpts{tls: true, user: "cla", pass: "s3cr3t"})
	q := openQueue(t, dir, smtpSender(t, ts), nil)
	if s := q.Stats(); s.Queued < len(acked) || s.Dead != 0 {
		t.Fatalf("after restart: %+v, want ≥ %d queued and none dead", s, len(acked))
	}
	runQueue(t, q)
	waitFor(t, "the spool to drain", func() bool { return q.Stats().Queued == 0 })
	seen := map[string]int{}
	for _, id := range messageIDs(t, ts.Messages()) {
		seen[id]++
	}
	for _, id := range acked {
		if seen[id] != 1 {
			t.Errorf("message %s delivered %d times, want 1", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	if left := spoolFiles(t, dir, "*"); len(left) != 1 || left[0] != "dead" {
		t.Errorf("spool holds %v after the restart", left)
	}
	t.Logf("%d acknowledged, %d delivered", len(acked), len(seen))
}

// Killed while it delivers into the outbox: after the restart every
// acknowledged message is in the outbox, complete, once (a redelivery
// rewrites the same <id>.eml).
func TestCrashDuringDeliveryLosesNothing(t *testing.T) {
	if os.Getenv(crashSpoolEnv) != "" {
		t.Skip("in the helper")
	}
	t.Parallel()
	dir := t.TempDir()
	spool, outbox := filepath.Join(dir, "spool"), filepath.Join(dir, "outbox")
	acked := crashHelper(t, spool, outbox)

	o, err := NewOutbox(outbox)
	if err != nil {
		t.Fatal(err)
	}
	q := openQueue(t, spool, o, nil)
	runQueue(t, q)
	waitFor(t, "the spool to drain", func() bool { return q.Stats().Queued == 0 })
	for _, id := range acked {
		raw, err := os.ReadFile(filepath.Join(outbox, id+".eml"))
		if err != nil {
			t.Errorf("message %s lost: %v", id, err)
			continue
		}
		if _, parts := parseMessage(t, raw); len(parts) != 3 {
			t.Errorf("message %s incomplete", id)
		}
	}
	for _, name := range spoolFiles(t, outbox, "*") {
		if !strings.HasSuffix(name, ".eml") {
			t.Errorf("outbox holds %s", name)
		}
	}
}
