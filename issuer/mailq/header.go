package mailq

import (
	"bytes"
	"fmt"
	netmail "net/mail"
	"strings"
	"unicode/utf8"
)

// checkHeaderText refuses what could break out of a header value: CR, LF
// and every other control character, invalid UTF-8, and over-long values.
func checkHeaderText(s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%w: %d bytes (at most %d)", ErrInvalidHeader, len(s), max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: not UTF-8", ErrInvalidHeader)
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("%w: control character %U", ErrInvalidHeader, r)
		}
	}
	return nil
}

// wordPayload caps the encoded text in one encoded-word: 10 octets of
// "=?utf-8?q?" and 2 of "?=" around it make 62, so "Subject: " and a word
// fit a 76-octet line (RFC 2047 §2: words ≤ 75, lines with words ≤ 76).
const wordPayload = 50

// encodeText returns s as is if it is plain text, else as RFC 2047
// Q encoded-words (UTF-8) separated by spaces, each word whole characters.
// Whitespace between encoded-words is not part of the text, so folding
// there changes nothing.
func encodeText(s string) string {
	if isPlain(s) {
		return s
	}
	var words []string
	var w strings.Builder
	for _, r := range s {
		enc := qEncodeRune(r)
		if w.Len()+len(enc) > wordPayload {
			words = append(words, "=?utf-8?q?"+w.String()+"?=")
			w.Reset()
		}
		w.WriteString(enc)
	}
	if w.Len() > 0 {
		words = append(words, "=?utf-8?q?"+w.String()+"?=")
	}
	return strings.Join(words, " ")
}

// qEncodeRune encodes one character with the Q encoding's strictest
// alphabet, valid in a subject and in a display name (RFC 2047 §5 (3)).
func qEncodeRune(r rune) string {
	if r == ' ' {
		return "_"
	}
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)) {
		return string(r)
	}
	var buf [utf8.UTFMax]byte
	var b strings.Builder
	for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// isPlain reports whether s can go into a header as it is and come back
// unchanged: printable ASCII, nothing that reads as an encoded-word, and no
// leading, trailing or doubled space, which unfolding may not keep.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return !strings.Contains(s, "=?") && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s
}

// formatAddress writes a checked address; a non-ASCII display name
// becomes encoded-words short enough to fold.
func formatAddress(a *netmail.Address) string {
	if isPlain(a.Name) {
		return a.String() // quotes the name when it needs quoting
	}
	return encodeText(a.Name) + " <" + a.Address + ">"
}

func joinAddresses(as []*netmail.Address) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = formatAddress(a)
	}
	return strings.Join(s, ", ")
}

// writeHeader writes "Name: value" folded at spaces to lines of at most
// headerFoldLen octets where a space allows it (RFC 5322 §2.2.3). Folding
// puts CRLF before an existing space, so unfolding restores the value. A
// word longer than a line stays whole (the hard limit is 998 octets).
func writeHeader(b *bytes.Buffer, name, value string) {
	line := name + ": " + value
	minCut := len(name) + 1 // never fold right after the colon
	for len(line) > headerFoldLen {
		cut := foldPoint(line, minCut)
		if cut < 0 {
			break
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n")
		line = line[cut:]
		minCut = 0
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// foldPoint returns the index of the space to fold before: the last one
// that keeps the line within headerFoldLen, else the first one after it,
// else -1.
func foldPoint(line string, minCut int) int {
	if cut := strings.LastIndexByte(line[:headerFoldLen+1], ' '); cut > minCut {
		return cut
	}
	next := strings.IndexByte(line[headerFoldLen:], ' ')
	if next < 0 {
		return -1
	}
	return headerFoldLen + next
}
