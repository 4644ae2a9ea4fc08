package mailq

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"time"
)

// Meta is what the queue adds to a message when it renders it.
type Meta struct {
	From *netmail.Address // sender; its domain also names the Message-ID
	Date time.Time
	ID   string // the queue's message id; the Message-ID is <ID@domain>
}

// Render returns m as an RFC 5322 message with CRLF line ends. The layout:
//
//	text only                 text/plain
//	text and HTML             multipart/alternative
//	with attachments          multipart/mixed: the body above, then each file
//
// Text parts are quoted-printable UTF-8 and attachments base64 in 76-column
// lines, so every line is 7-bit and short. Every header value comes from a
// validated field and is encoded here (RFC 2047 for the subject and display
// names, RFC 2231 for file names), never copied from the input.
func Render(m *Message, meta Meta) ([]byte, error) {
	c, err := m.check()
	if err != nil {
		return nil, err
	}
	if meta.From == nil || checkEnvelopeAddress(meta.From.Address) != nil ||
		checkHeaderText(meta.From.Name, MaxNameLen) != nil || !validID(meta.ID) {
		return nil, fmt.Errorf("%w: bad sender or id", ErrInvalidMessage)
	}
	return c.render(meta)
}

func (c *checked) render(meta Meta) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(c.sizeHint())
	writeHeader(&b, "From", formatAddress(meta.From))
	writeHeader(&b, "To", joinAddresses(c.to))
	writeHeader(&b, "Subject", encodeText(c.subject))
	writeHeader(&b, "Date", meta.Date.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+meta.ID+"@"+domainOf(meta.From.Address)+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	if err := c.writeBody(&b, meta.ID[len(idTime)+1:]); err != nil {
		return nil, err
	}
	if b.Len() > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes rendered (at most %d)", ErrInvalidMessage, b.Len(), MaxMessageSize)
	}
	return b.Bytes(), nil
}

func (c *checked) sizeHint() int {
	n := 2048 + len(c.text)*3 + len(c.html)*3
	for _, a := range c.attachments {
		n += len(a.data)*4/3 + len(a.data)/base64LineLen*2 + 512
	}
	return min(n, MaxMessageSize+4096)
}

// Boundaries start with "=_": a quoted-printable body never holds "=_"
// ("=" is always followed by two hex digits or a line end) and base64 has
// no "_", so no part can contain a boundary line. The id's random part
// keeps a forwarded copy's boundaries apart from the forwarding message's.
func boundary(kind, salt string) string { return "=_cla-" + kind + "-" + salt }

func (c *checked) writeBody(b *bytes.Buffer, salt string) error {
	if len(c.attachments) == 0 {
		if err := c.writeMain(b, salt, topLevel{b}); err != nil {
			return err
		}
		if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
			b.WriteString("\r\n") // a message ends with a line end
		}
		return nil
	}
	mixed := newMultipart(topLevel{b}, "multipart/mixed", boundary("mixed", salt))
	if err := c.writeMain(b, salt, mixed); err != nil {
		return err
	}
	for _, a := range c.attachments {
		if err := writeBase64(mixed.CreatePart(attachmentHeader(a)), a.data); err != nil {
			return err
		}
	}
	mixed.Close()
	return nil
}

// writeMain writes the text, or the text/HTML alternative, as one part.
func (c *checked) writeMain(b *bytes.Buffer, salt string, pc partCreator) error {
	if c.html == "" {
		return writeText(pc, "text/plain", c.text)
	}
	alt := newMultipart(pc, "multipart/alternative", boundary("alt", salt))
	if err := writeText(alt, "text/plain", c.text); err != nil {
		return err
	}
	if err := writeText(alt, "text/html", c.html); err != nil {
		return err
	}
	alt.Close()
	return nil
}

func writeText(pc partCreator, mediaType, text string) error {
	w := pc.CreatePart(header{
		{"Content-Type", mime.FormatMediaType(mediaType, map[string]string{"charset": "utf-8"})},
		{"Content-Transfer-Encoding", "quoted-printable"},
	})
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, newlines.Replace(text)); err != nil {
		return err
	}
	return qp.Close()
}

// newlines makes every line end LF before quoted-printable turns each into
// CRLF. Go's writer, given a CR, skips the next LF even with other bytes
// between them ("\r\x0e\n" lost a line end; found by FuzzRender).
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func attachmentHeader(a checkedAttachment) header {
	params := map[string]string{"name": a.name} // older clients read the name here
	for k, v := range a.params {
		if k != "name" {
			params[k] = v
		}
	}
	return header{
		{"Content-Type", mime.FormatMediaType(a.mediaType, params)},
		{"Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.name})},
		{"Content-Transfer-Encoding", "base64"},
	}
}
