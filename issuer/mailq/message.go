package mailq

import (
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"
	"unicode/utf8"
)

// Message is one e-mail to render and queue.
type Message struct {
	To          []string // RFC 5322 addresses: "juan@example.pe" or "Juan Pérez <juan@example.pe>"
	Subject     string
	Text        string // text/plain body, UTF-8; required
	HTML        string // optional text/html alternative
	Attachments []Attachment
}

// Attachment is a file sent with a message, such as the constancia PDF.
type Attachment struct {
	Name        string // file name shown to the recipient; no path
	ContentType string // e.g. "application/pdf"
	Data        []byte
}

// checked is a Message whose every header value has been validated and
// re-encoded; rendering uses only these fields, never the raw input.
type checked struct {
	to          []*netmail.Address
	subject     string
	text, html  string
	attachments []checkedAttachment
}

type checkedAttachment struct {
	name, mediaType string
	params          map[string]string
	data            []byte
}

// check validates m and returns the parsed form that Render uses.
func (m *Message) check() (*checked, error) {
	if len(m.To) == 0 || len(m.To) > MaxRecipients {
		return nil, fmt.Errorf("%w: %d recipients (1 to %d)", ErrInvalidMessage, len(m.To), MaxRecipients)
	}
	c := &checked{subject: m.Subject, text: m.Text, html: m.HTML}
	for i, s := range m.To {
		a, err := parseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("recipient %d: %w", i, err)
		}
		c.to = append(c.to, a)
	}
	if err := checkHeaderText(m.Subject, MaxSubjectLen); err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if err := checkBodies(m.Text, m.HTML); err != nil {
		return nil, err
	}
	if len(m.Attachments) > MaxAttachments {
		return nil, fmt.Errorf("%w: %d attachments (at most %d)", ErrInvalidMessage, len(m.Attachments), MaxAttachments)
	}
	for i := range m.Attachments {
		a, err := m.Attachments[i].check()
		if err != nil {
			return nil, fmt.Errorf("attachment %d: %w", i, err)
		}
		c.attachments = append(c.attachments, a)
	}
	return c, nil
}

func checkBodies(text, html string) error {
	if text == "" {
		return fmt.Errorf("%w: empty text body", ErrInvalidMessage)
	}
	if !utf8.ValidString(text) || !utf8.ValidString(html) {
		return fmt.Errorf("%w: body is not UTF-8", ErrInvalidMessage)
	}
	if len(text)+len(html) > MaxMessageSize {
		return fmt.Errorf("%w: body over %d bytes", ErrInvalidMessage, MaxMessageSize)
	}
	return nil
}

func (a *Attachment) check() (checkedAttachment, error) {
	if a.Name == "" || strings.ContainsAny(a.Name, `/\`) {
		return checkedAttachment{}, fmt.Errorf("%w: file name empty or a path", ErrInvalidHeader)
	}
	if err := checkHeaderText(a.Name, MaxFileNameLen); err != nil {
		return checkedAttachment{}, fmt.Errorf("file name: %w", err)
	}
	if err := checkHeaderText(a.ContentType, MaxContentType); err != nil {
		return checkedAttachment{}, fmt.Errorf("content type: %w", err)
	}
	mt, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || strings.HasPrefix(mt, "multipart/") || !strings.Contains(mt, "/") {
		return checkedAttachment{}, fmt.Errorf("%w: content type %q", ErrInvalidHeader, a.ContentType)
	}
	if len(a.Data) > MaxMessageSize {
		return checkedAttachment{}, fmt.Errorf("%w: attachment over %d bytes", ErrInvalidMessage, MaxMessageSize)
	}
	return checkedAttachment{name: a.Name, mediaType: mt, params: params, data: a.Data}, nil
}
