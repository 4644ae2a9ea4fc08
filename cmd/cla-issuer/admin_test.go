package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/store"
	bolt "go.etcd.io/bbolt"
)

func TestAdminAndAuditCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CLA_DATA": dir, "CLA_ADMIN_PASSWORD": "correct horse battery"}
	getenv := func(k string) string { return env[k] }
	cli := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(args, getenv, &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, stderr := cli("admin", "list"); code != 1 || !strings.Contains(stderr, "no issuer database") {
		t.Fatalf("list without a database: %d %q", code, stderr)
	}
	db, err := store.OpenBolt(filepath.Join(dir, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, stderr := cli("admin", "create", "-user", "rosa", "-role", "registrar"); code != 0 || !strings.Contains(out, "rosa (registrar) created") {
		t.Fatalf("create registrar: %d %q %q", code, out, stderr)
	}
	code, out, _ := cli("admin", "create", "-user", "jefe", "-role", "admin")
	if code != 0 || !strings.Contains(out, "otpauth://totp/") {
		t.Fatalf("create admin: %d %q", code, out)
	}
	if code, _, stderr := cli("admin", "create", "-user", "rosa", "-role", "auditor"); code != 1 || !strings.Contains(stderr, "exists") {
		t.Fatalf("duplicate: %d %q", code, stderr)
	}
	if code, _, _ := cli("admin", "create", "-user", "x", "-role", "boss"); code != 1 {
		t.Fatal("a bad role was accepted")
	}
	if code, out, _ := cli("admin", "list"); code != 0 || !strings.Contains(out, "rosa") || !strings.Contains(out, "jefe") {
		t.Fatalf("list: %q", out)
	}
	if code, out, _ := cli("audit", "check"); code != 0 || !strings.Contains(out, "intact: 2 entries") {
		t.Fatalf("check: %d %q", code, out)
	}
	exp := filepath.Join(dir, "trail.jsonl")
	if code, _, stderr := cli("audit", "export", "-o", exp); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	b, _ := os.ReadFile(exp)
	if n := bytes.Count(b, []byte("\n")); n != 2 || !bytes.Contains(b, []byte(`"action":"user_create"`)) {
		t.Fatalf("export has %d lines: %s", n, b)
	}

	// Someone edits the first entry in the file: "rosa" becomes "rose".
	bdb, err := bolt.Open(filepath.Join(dir, "db_micertificado"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("log"))
		k, v := b.Cursor().First()
		edited := bytes.Replace(v, []byte("rosa"), []byte("rose"), 1)
		if bytes.Equal(edited, v) {
			t.Fatal("the first entry does not name rosa")
		}
		return b.Put(k, edited)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = cli("audit", "check")
	if code != 1 || !strings.Contains(out, "ALTERED") || !strings.Contains(out, "entry 1") {
		t.Fatalf("check after the edit: %d %q", code, out)
	}
}

// TestLocalNote: make run's address (loopback) is said to be one people
// elsewhere cannot open; a public one is not.
func TestLocalNote(t *testing.T) {
	for u, local := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080": true, "http://[::1]:8080": true,
		"http://0.0.0.0:8080": true, "http://192.168.1.20": true,
		"https://constancia.minedu.gob.pe": false, "http://200.48.1.2": false,
	} {
		if got := localNote(u) != ""; got != local {
			t.Errorf("%s: note %v, want %v", u, got, local)
		}
	}
	if !strings.Contains(localNote("http://127.0.0.1:8080"), "http://127.0.0.1:8080/verificar") {
		t.Error("the note does not name the address printed")
	}
}

// TestMailCommands: status counts the outbox and lists the dead mails
// with the address hashed; requeue makes them live again.
func TestMailCommands(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"CLA_DATA": dir}[k] }
	cli := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(args, getenv, &out, &errb)
		return code, out.String(), errb.String()
	}
	db, err := store.OpenBolt(filepath.Join(dir, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	db.Update(context.Background(), func(tx store.Tx) error {
		tx.AddMail(&store.Mail{MessageID: "20261203T100000.000000000Z-0a0b0c0d0e0f", Constancia: 1, To: "vivo@example.pe", Created: now})
		return tx.AddMail(&store.Mail{MessageID: "20261203T100000.000000000Z-0f0e0d0c0b0a", Constancia: 2, To: "muerto@example.pe",
			Created: now, Dead: true, Due: now, Error: "mail: rejected by server: 550 5.1.1 no such user"})
	})
	db.Close()
	code, out, stderr := cli("mail", "status")
	if code != 0 || !strings.Contains(out, "1 waiting") || !strings.Contains(out, "1 dead") ||
		!strings.Contains(out, "0f0e0d0c0b0a") || !strings.Contains(out, "550 5.1.1") || !strings.Contains(out, mailq.HashAddress("muerto@example.pe")) {
		t.Fatalf("mail status: %d %q %q", code, out, stderr)
	}
	if strings.Contains(out, "@example.pe") {
		t.Errorf("mail status shows an address in clear: %q", out)
	}
	if code, out, _ := cli("mail", "requeue"); code != 0 || !strings.Contains(out, "1 dead e-mails queued again") {
		t.Fatalf("mail requeue: %d %q", code, out)
	}
	if _, out, _ := cli("mail", "status"); !strings.Contains(out, "2 waiting") || !strings.Contains(out, "0 dead") {
		t.Fatalf("after requeue: %q", out)
	}
}
