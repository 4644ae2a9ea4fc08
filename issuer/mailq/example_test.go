package mailq_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/mailq"
)

// The issuer's wiring: configuration from the environment (no CLA_SMTP_HOST
// here, so the outbox), one queue, Run for the life of the server, one
// Enqueue per constancia, Stats for the health endpoint.
func Example() {
	dir, err := os.MkdirTemp("", "cla-mail")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	env := map[string]string{
		"CLA_MAIL_SPOOL":  filepath.Join(dir, "spool"),
		"CLA_MAIL_OUTBOX": filepath.Join(dir, "outbox"),
	}
	cfg, err := mailq.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		panic(err)
	}
	q, err := cfg.Open(mailq.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    func() time.Time { return time.Date(2026, 3, 1, 14, 30, 0, 0, time.UTC) },
		Rand:   strings.NewReader("\x00\x00\x00\x00\x00\x2a"), // fixed id for the example
	})
	if err != nil {
		panic(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- q.Run(ctx) }()

	id, err := q.Enqueue(&mailq.Message{
		To:      []string{"Juan Pérez <juan.perez@example.pe>"},
		Subject: "Constancia de Logros de Aprendizaje — código 7K3M-9QXT-2HBN-M",
		Text:    "Su constancia está adjunta. Verifíquela en https://cla.example.pe/verificar\n",
		Attachments: []mailq.Attachment{
			{Name: "constancia-7K3M9QXT.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 …")},
		},
	})
	if err != nil {
		panic(err)
	}
	for q.Stats().Sent == 0 {
		time.Sleep(time.Millisecond)
	}
	stop()
	<-done

	s := q.Stats()
	fmt.Println(id)
	fmt.Println("queued", s.Queued, "sent", s.Sent, "dead", s.Dead)
	_, err = os.Stat(filepath.Join(env["CLA_MAIL_OUTBOX"], id+".eml"))
	fmt.Println("in the outbox:", err == nil)
	// Output:
	// 20260301T143000.000000000Z-00000000002a
	// queued 0 sent 1 dead 0
	// in the outbox: true
}
