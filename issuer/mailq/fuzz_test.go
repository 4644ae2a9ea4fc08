package mailq

import (
	"mime"
	"strings"
	"testing"
)

// FuzzRender: a message built from arbitrary subject, display name, file
// name and text either is refused or renders to a message that parses
// back to the same values with exactly the headers Render writes: nothing
// injected.
func FuzzRender(f *testing.F) {
	f.Add(testSubject, "Juan Pérez Ñuñoa", "constancia.pdf", "hola\n")
	f.Add("Hola\r\nBcc: x@example.com", "J\"uan", "a\"b.pdf", "línea\r\n.\r\n")
	f.Add(strings.Repeat("é ", 120), "=?utf-8?q?x?=", "Ñuñoa 7K3M.pdf", "=_cla-mixed-")
	f.Add("", "", "x", "x")
	f.Fuzz(func(t *testing.T, subject, name, file, text string) {
		m := &Message{
			To: []string{(&addr{name, "a@example.pe"}).String()}, Subject: subject, Text: text,
			Attachments: []Attachment{{Name: file, ContentType: "application/pdf", Data: []byte(text)}},
		}
		raw, err := Render(m, Meta{From: testFrom, Date: t0, ID: testID})
		if err != nil {
			return
		}
		msg, parts := parseMessage(t, raw)
		want := []string{"Auto-Submitted", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}
		var got []string
		for k := range msg.Header {
			got = append(got, k)
		}
		if len(got) != len(want) {
			t.Fatalf("headers %v, want %v", got, want)
		}
		var dec mime.WordDecoder
		if s, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || s != subject {
			t.Fatalf("subject %q, %v; want %q", s, err, subject)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "a@example.pe" || to[0].Name != m.checkedName(t) {
			t.Fatalf("To = %v, %v", to, err)
		}
		if len(parts) != 2 || parts[1].FileName != file || string(parts[1].Body) != text {
			t.Fatalf("parts = %+v", parts)
		}
		// Mail text has CRLF line ends: a lone CR or LF becomes one.
		if lineEnds(string(parts[0].Body)) != lineEnds(text) {
			t.Fatalf("text %q, want %q", parts[0].Body, text)
		}
	})
}

func lineEnds(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// addr formats a display name and address the way a caller would.
type addr struct{ name, email string }

func (a *addr) String() string {
	if a.name == "" {
		return a.email
	}
	return mime.QEncoding.Encode("utf-8", a.name) + " <" + a.email + ">"
}

// checkedName is the display name the message was validated with.
func (m *Message) checkedName(t *testing.T) string {
	c, err := m.check()
	if err != nil {
		t.Fatal(err)
	}
	return c.to[0].Name
}
