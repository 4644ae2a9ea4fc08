package mailq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestOutboxWritesCompleteEML(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	o, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage("Juan Pérez <juan.perez@example.pe>")
	raw := render(t, m)
	for range 2 { // a second delivery of the same id rewrites the same file
		if err := o.Send(context.Background(), testEnvelope(), raw); err != nil {
			t.Fatal(err)
		}
	}
	if got := spoolFiles(t, dir, "*"); len(got) != 1 || got[0] != testID+".eml" {
		t.Fatalf("outbox holds %v", got)
	}
	path := filepath.Join(dir, testID+".eml")
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("outbox mode %v, %v; want 0700", fi.Mode(), err)
	}
	_, parts := parseMessage(t, readFile(t, path))
	if len(parts) != 3 || !bytes.Equal(parts[2].Body, m.Attachments[0].Data) {
		t.Error("the .eml does not hold the attachment intact")
	}
}

// A reader that lists the outbox while messages are written never sees a
// partial .eml: the name appears only once the whole file is there.
func TestOutboxAtomicVisibility(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	want := make(map[string][]byte)
	for i := range n {
		id := fmt.Sprintf("20260301T143000.%09dZ-0a1b2c3d4e5f", i)
		want[id+".eml"] = bytes.Repeat([]byte(fmt.Sprintf("%04d", i)), 64<<10) // 256 KiB
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait() // also when a check below fails
	go func() {
		defer wg.Done()
		for id, b := range want {
			if err := o.Send(context.Background(), Envelope{ID: strings.TrimSuffix(id, ".eml")}, b); err != nil {
				t.Error(err)
			}
		}
		close(done)
	}()
	reads := 0
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		for _, name := range spoolFiles(t, dir, "*.eml") {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			reads++
			if !bytes.Equal(got, want[name]) {
				t.Fatalf("%s: read %d bytes, want the whole %d", name, len(got), len(want[name]))
			}
		}
	}
	wg.Wait()
	if got := spoolFiles(t, dir, "*"); len(got) != n {
		t.Errorf("outbox holds %d files, want %d (no temporaries)", len(got), n)
	}
	t.Logf("%d complete reads during the writes", reads)
}

func TestOutboxRefusesBadID(t *testing.T) {
	t.Parallel()
	o, err := NewOutbox(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = o.Send(context.Background(), Envelope{ID: "../../etc/cron.d/x"}, []byte("x"))
	if !errors.Is(err, ErrRejected) {
		t.Errorf("err = %v", err)
	}
}

func TestOutboxFullDiskIsUnavailable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o, err := NewOutbox(filepath.Join(dir, "gone"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(o.Dir()) // a vanished folder fails like a full disk
	err = o.Send(context.Background(), testEnvelope(), []byte("x"))
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("err = %v", err)
	}
}
