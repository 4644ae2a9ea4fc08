package mailq

import (
	"bytes"
	"encoding/base64"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testSubject = "Constancia de Logros de Aprendizaje — código 7K3M-9QXT-2HBN-M, Ñuñoa"

var t0 = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("PET", -5*3600))

// fakePDF returns n reproducible bytes standing in for the constancia PDF.
func fakePDF(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, "%PDF-1.7\n")
	return b
}

func testMessage(to string) *Message {
	return &Message{
		To:      []string{to},
		Subject: testSubject,
		Text:    "Estimada familia Ñuñoa:\n\nSu constancia está adjunta.\nCódigo virtual: 7K3M-9QXT-2HBN-M\n",
		HTML:    "<p>Estimada familia <b>Ñuñoa</b>:</p><p>Código virtual: 7K3M-9QXT-2HBN-M</p>",
		Attachments: []Attachment{
			{Name: "constancia-7K3M9QXT.pdf", ContentType: "application/pdf", Data: fakePDF(150 << 10)},
		},
	}
}

// seqRand is a deterministic reader for ids.
type seqRand struct {
	mu sync.Mutex
	n  byte
}

func (s *seqRand) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range p {
		s.n++
		p[i] = s.n
	}
	return len(p), nil
}

// clock is an adjustable clock: real time plus an offset the test moves.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

func testLogger(w io.Writer) *slog.Logger {
	if w == nil {
		w = io.Discard
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// part is one leaf of a parsed message.
type part struct {
	MediaType string
	FileName  string
	Body      []byte // decoded
}

// parseMessage parses raw with net/mail and mime/multipart, the way a
// mail client would, and returns the leaves in order.
func parseMessage(t testing.TB, raw []byte) (*netmail.Message, []part) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail: %v", err)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	parts := walk(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", body)
	return m, parts
}

func walk(t testing.TB, ctype, cte, disp string, body []byte) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		t.Fatalf("content type %q: %v", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []part
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatalf("multipart: %v", err)
			}
			b, err := io.ReadAll(p) // quoted-printable is decoded by the reader
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, walk(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), b)...)
		}
	}
	b := decodeCTE(t, cte, body)
	var name string
	if disp != "" {
		_, dp, err := mime.ParseMediaType(disp)
		if err != nil {
			t.Fatalf("disposition %q: %v", disp, err)
		}
		name = dp["filename"]
	}
	return []part{{MediaType: mt, FileName: name, Body: b}}
}

func decodeCTE(t testing.TB, cte string, body []byte) []byte {
	t.Helper()
	switch strings.ToLower(cte) {
	case "base64":
		b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(body)))
		if err != nil {
			t.Fatalf("base64: %v", err)
		}
		return b
	case "quoted-printable":
		return qpDecode(t, body)
	}
	return body
}

func crlfToLF(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// spoolFiles lists the names in dir matching pattern.
func spoolFiles(t testing.TB, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// waitFor polls cond until it holds or the test's patience runs out.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func qpDecode(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("quoted-printable: %v", err)
	}
	return out
}
