package mailq

import (
	"bytes"
	"mime"
)

// header is a part's header fields in the order written.
type header [][2]string

// partCreator starts a part: a multipart body's next part, or the
// message's only body.
type partCreator interface {
	CreatePart(header) *bytes.Buffer
}

// topLevel writes a part's header fields as the message's own, so a
// message with one body needs no multipart wrapper.
type topLevel struct{ b *bytes.Buffer }

func (t topLevel) CreatePart(h header) *bytes.Buffer {
	for _, f := range h {
		writeHeader(t.b, f[0], f[1])
	}
	t.b.WriteString("\r\n")
	return t.b
}

// multiWriter writes an RFC 2046 multipart body into the message buffer.
// Unlike mime/multipart.Writer it folds long part header lines, and it
// never fails: everything goes to a bytes.Buffer.
type multiWriter struct {
	b        *bytes.Buffer
	boundary string
	parts    int
}

// newMultipart starts a multipart body of mediaType as a part of pc.
func newMultipart(pc partCreator, mediaType, boundary string) *multiWriter {
	ct := mime.FormatMediaType(mediaType, map[string]string{"boundary": boundary})
	w := pc.CreatePart(header{{"Content-Type", ct}})
	return &multiWriter{b: w, boundary: boundary}
}

// CreatePart ends the previous part and starts the next. The CRLF before a
// boundary line belongs to the boundary, not to the part before it.
func (m *multiWriter) CreatePart(h header) *bytes.Buffer {
	if m.parts > 0 {
		m.b.WriteString("\r\n")
	}
	m.parts++
	m.b.WriteString("--" + m.boundary + "\r\n")
	for _, f := range h {
		writeHeader(m.b, f[0], f[1])
	}
	m.b.WriteString("\r\n")
	return m.b
}

// Close writes the closing boundary.
func (m *multiWriter) Close() {
	m.b.WriteString("\r\n--" + m.boundary + "--\r\n")
}
