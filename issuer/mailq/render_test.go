package mailq

import (
	"bytes"
	"errors"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"
)

var testFrom = &netmail.Address{Name: "Ministerio de Educación", Address: "constancias@minedu.gob.pe"}

const testID = "20260301T143000.123456789Z-0a1b2c3d4e5f"

func render(t testing.TB, m *Message) []byte {
	t.Helper()
	raw, err := Render(m, Meta{From: testFrom, Date: t0, ID: testID})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return raw
}

func TestRenderParsesBack(t *testing.T) {
	t.Parallel()
	m := testMessage("Juan Pérez Ñuñoa <juan.perez@example.pe>")
	raw := render(t, m)
	msg, parts := parseMessage(t, raw)

	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != testSubject {
		t.Errorf("subject = %q, %v; want %q", subject, err, testSubject)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Juan Pérez Ñuñoa" || to[0].Address != "juan.perez@example.pe" {
		t.Errorf("To = %v, %v", to, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != testFrom.Name || from[0].Address != testFrom.Address {
		t.Errorf("From = %v, %v", from, err)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(t0.Truncate(1e9)) {
		t.Errorf("Date = %v, %v; want %v", d, err, t0)
	}
	if got, want := msg.Header.Get("Message-ID"), "<"+testID+"@minedu.gob.pe>"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	if msg.Header.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version = %q", msg.Header.Get("MIME-Version"))
	}
	mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mt != "multipart/mixed" {
		t.Errorf("top media type %q", mt)
	}
	if len(parts) != 3 {
		t.Fatalf("got %d parts, want text, html, pdf", len(parts))
	}
	if parts[0].MediaType != "text/plain" || crlfToLF(string(parts[0].Body)) != m.Text {
		t.Errorf("text part %q = %q", parts[0].MediaType, parts[0].Body)
	}
	if parts[1].MediaType != "text/html" || string(parts[1].Body) != m.HTML {
		t.Errorf("html part %q = %q", parts[1].MediaType, parts[1].Body)
	}
	pdf := parts[2]
	if pdf.MediaType != "application/pdf" || pdf.FileName != "constancia-7K3M9QXT.pdf" {
		t.Errorf("attachment %q %q", pdf.MediaType, pdf.FileName)
	}
	if !bytes.Equal(pdf.Body, m.Attachments[0].Data) {
		t.Errorf("attachment differs after the round trip (%d bytes, want %d)", len(pdf.Body), len(m.Attachments[0].Data))
	}
}

func TestRenderStructure(t *testing.T) {
	t.Parallel()
	att := []Attachment{{Name: "constancia Ñuñoa.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 tiny")}}
	tests := []struct {
		name  string
		msg   Message
		top   string
		parts []string // leaf media types
	}{
		{"text only", Message{Text: "hola"}, "text/plain", []string{"text/plain"}},
		{"text and html", Message{Text: "hola", HTML: "<p>hola</p>"}, "multipart/alternative", []string{"text/plain", "text/html"}},
		{"text and file", Message{Text: "hola", Attachments: att}, "multipart/mixed", []string{"text/plain", "application/pdf"}},
		{"everything", Message{Text: "hola", HTML: "<p>hola</p>", Attachments: append(att, att...)}, "multipart/mixed",
			[]string{"text/plain", "text/html", "application/pdf", "application/pdf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.msg.To, tt.msg.Subject = []string{"a@example.pe"}, "s"
			msg, parts := parseMessage(t, render(t, &tt.msg))
			if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); mt != tt.top {
				t.Errorf("top = %q, want %q", mt, tt.top)
			}
			var got []string
			for _, p := range parts {
				got = append(got, p.MediaType)
				if p.MediaType == "application/pdf" && p.FileName != "constancia Ñuñoa.pdf" {
					t.Errorf("file name = %q", p.FileName)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.parts, ",") {
				t.Errorf("parts = %v, want %v", got, tt.parts)
			}
		})
	}
}

// Every line ends in CRLF, is 7-bit, and is at most 78 octets, except a
// header word that cannot be folded (none here).
func TestRenderLines(t *testing.T) {
	t.Parallel()
	m := testMessage("Juan Pérez Ñuñoa de la Santísima Trinidad y Mendoza <juan.perez@example.pe>")
	m.Text = strings.Repeat("Una línea muy larga con acentos y eñes, ", 20) + "\nfin"
	raw := render(t, m)
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("message does not end with CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n")) {
		if bytes.IndexByte(line, '\n') >= 0 || bytes.IndexByte(line, '\r') >= 0 {
			t.Fatalf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > headerFoldLen {
			t.Errorf("line %d is %d octets: %q", i, len(line), line)
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("line %d is not 7-bit: %q", i, line)
			}
		}
	}
	msg, parts := parseMessage(t, raw)
	if crlfToLF(string(parts[0].Body)) != m.Text {
		t.Error("long text did not survive quoted-printable")
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || to[0].Name != "Juan Pérez Ñuñoa de la Santísima Trinidad y Mendoza" {
		t.Errorf("folded To = %v, %v", to, err)
	}
}

func TestRenderLongASCIISubjectFolds(t *testing.T) {
	t.Parallel()
	subject := strings.Repeat("Constancia de Logros de Aprendizaje ", 5) + "fin"
	msg, _ := parseMessage(t, render(t, &Message{To: []string{"a@example.pe"}, Subject: subject, Text: "x"}))
	if got := msg.Header.Get("Subject"); got != subject {
		t.Errorf("subject = %q, want %q", got, subject)
	}
}

func TestRenderRejectsHeaderInjection(t *testing.T) {
	t.Parallel()
	ok := func() Message {
		return Message{To: []string{"a@example.pe"}, Subject: "s", Text: "t",
			Attachments: []Attachment{{Name: "c.pdf", ContentType: "application/pdf", Data: []byte("x")}}}
	}
	tests := []struct {
		name string
		edit func(*Message)
		want error
	}{
		{"CRLF in subject", func(m *Message) { m.Subject = "Hola\r\nBcc: victim@example.com" }, ErrInvalidHeader},
		{"LF in subject", func(m *Message) { m.Subject = "Hola\nBcc: victim@example.com" }, ErrInvalidHeader},
		{"CR in subject", func(m *Message) { m.Subject = "Hola\rBcc: victim@example.com" }, ErrInvalidHeader},
		{"NUL in subject", func(m *Message) { m.Subject = "Hola\x00" }, ErrInvalidHeader},
		{"U+2028 in subject", func(m *Message) { m.Subject = "Hola\u2028Bcc: x" }, ErrInvalidHeader},
		{"invalid UTF-8 subject", func(m *Message) { m.Subject = "Hola \xff" }, ErrInvalidHeader},
		{"CRLF after address", func(m *Message) { m.To = []string{"a@example.pe\r\nBcc: victim@example.com"} }, ErrInvalidAddress},
		{"CRLF in display name", func(m *Message) { m.To = []string{"\"Juan\r\nBcc: v@example.com\" <a@example.pe>"} }, ErrInvalidAddress},
		{"CRLF hidden in an encoded word", func(m *Message) { m.To = []string{"=?utf-8?q?Juan=0D=0ABcc:_v@example.com?= <a@example.pe>"} }, ErrInvalidAddress},
		{"two addresses in one", func(m *Message) { m.To = []string{"a@example.pe, victim@example.com"} }, ErrInvalidAddress},
		{"not an address", func(m *Message) { m.To = []string{"juan"} }, ErrInvalidAddress},
		{"non-ASCII address", func(m *Message) { m.To = []string{"juan@españa.pe"} }, ErrInvalidAddress},
		{"CRLF in file name", func(m *Message) { m.Attachments[0].Name = "c.pdf\r\nX-Evil: 1" }, ErrInvalidHeader},
		{"path as file name", func(m *Message) { m.Attachments[0].Name = "../../etc/passwd" }, ErrInvalidHeader},
		{"CRLF in content type", func(m *Message) { m.Attachments[0].ContentType = "application/pdf\r\nX-Evil: 1" }, ErrInvalidHeader},
		{"bad content type", func(m *Message) { m.Attachments[0].ContentType = "pdf" }, ErrInvalidHeader},
		{"multipart content type", func(m *Message) { m.Attachments[0].ContentType = "multipart/mixed; boundary=x" }, ErrInvalidHeader},
		{"no recipient", func(m *Message) { m.To = nil }, ErrInvalidMessage},
		{"too many recipients", func(m *Message) { m.To = make([]string, MaxRecipients+1) }, ErrInvalidMessage},
		{"empty text", func(m *Message) { m.Text = "" }, ErrInvalidMessage},
		{"long subject", func(m *Message) { m.Subject = strings.Repeat("a", MaxSubjectLen+1) }, ErrInvalidHeader},
		{"too many files", func(m *Message) { m.Attachments = make([]Attachment, MaxAttachments+1) }, ErrInvalidMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := ok()
			tt.edit(&m)
			raw, err := Render(&m, Meta{From: testFrom, Date: t0, ID: testID})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if raw != nil {
				t.Error("rendered despite the error")
			}
		})
	}
}

func TestRenderNeedsSenderAndID(t *testing.T) {
	t.Parallel()
	m := &Message{To: []string{"a@example.pe"}, Subject: "s", Text: "t"}
	for _, meta := range []Meta{
		{Date: t0, ID: testID},
		{From: testFrom, Date: t0, ID: "../../x"},
		{From: &netmail.Address{Address: "bad\r\n@x"}, Date: t0, ID: testID},
	} {
		if _, err := Render(m, meta); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("Render(%+v) err = %v", meta, err)
		}
	}
}

func TestLineWrapper(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := &lineWrapper{w: &b, n: 4}
	for _, s := range []string{"ab", "cdefghij", "", "k"} {
		w.Write([]byte(s))
	}
	if got := b.String(); got != "abcd\r\nefgh\r\nijk" {
		t.Errorf("got %q", got)
	}
}

// Text line ends become CRLF whatever the input used; none is lost. (An
// HTML part makes the text a multipart part, whose end is exact; a
// single-part message always ends with a line end.)
func TestRenderLineEnds(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a\nb\n", "a\r\nb\r\n"},
		{"a\r\nb", "a\r\nb"},
		{"a\rb", "a\r\nb"},
		{"a\r\x0e\nb", "a\r\n\x0e\r\nb"}, // Go's quoted-printable writer alone drops this LF
		{"\n\n", "\r\n\r\n"},
	}
	for _, tt := range tests {
		_, parts := parseMessage(t, render(t, &Message{To: []string{"a@example.pe"}, Subject: "s", Text: tt.in, HTML: "<p>x</p>"}))
		if got := string(parts[0].Body); got != tt.want {
			t.Errorf("text %q came back as %q, want %q", tt.in, got, tt.want)
		}
	}
}
