package mailq

import (
	"encoding/base64"
	"io"
)

// lineWrapper inserts CRLF after every n bytes written through it: base64
// bodies must be cut into lines of at most 76 characters (RFC 2045 §6.8).
type lineWrapper struct {
	w   io.Writer
	n   int
	col int
}

func (l *lineWrapper) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if l.col == l.n {
			if _, err := io.WriteString(l.w, "\r\n"); err != nil {
				return written, err
			}
			l.col = 0
		}
		k := min(len(p), l.n-l.col)
		m, err := l.w.Write(p[:k])
		written += m
		l.col += m
		if err != nil {
			return written, err
		}
		p = p[k:]
	}
	return written, nil
}

// writeBase64 writes data base64-encoded in lines of base64LineLen. The
// line end before the next boundary belongs to the boundary (RFC 2046).
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.NewEncoder(base64.StdEncoding, &lineWrapper{w: w, n: base64LineLen})
	if _, err := enc.Write(data); err != nil {
		return err
	}
	return enc.Close()
}
