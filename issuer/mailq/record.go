package mailq

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// A spool file is a record: a short text header that names the envelope,
// then the rendered message, byte for byte.
//
//	CLA-MAIL 1
//	id: 20260301T142233.123456789Z-3f9a0c1b2d4e
//	enqueued: 2026-03-01T14:22:33.123456789Z
//	from: constancias@minedu.gob.pe
//	to: juan@example.pe                       (1 to MaxRecipients lines)
//	size: 183211
//	sha256: 64 lowercase hex digits of the message
//	(empty line)
//	the message: size bytes, nothing after
//
// Fields come in this order, each once, in one canonical spelling, so a
// record has exactly one encoding. The digest catches a torn or damaged
// file; the header stays readable with head(1) for an operator.
const recordMagic = "CLA-MAIL 1\n"

const recordTime = "2006-01-02T15:04:05.000000000Z"

type record struct {
	ID       string
	Enqueued time.Time
	From     string
	To       []string
	Msg      []byte
}

func (r *record) encode() []byte {
	sum := sha256.Sum256(r.Msg)
	var b bytes.Buffer
	b.Grow(len(recordMagic) + 256 + len(r.Msg))
	b.WriteString(recordMagic)
	field(&b, "id", r.ID)
	field(&b, "enqueued", r.Enqueued.UTC().Format(recordTime))
	field(&b, "from", r.From)
	for _, to := range r.To {
		field(&b, "to", to)
	}
	field(&b, "size", strconv.Itoa(len(r.Msg)))
	field(&b, "sha256", hex.EncodeToString(sum[:]))
	b.WriteByte('\n')
	b.Write(r.Msg)
	return b.Bytes()
}

func field(b *bytes.Buffer, k, v string) {
	b.WriteString(k)
	b.WriteString(": ")
	b.WriteString(v)
	b.WriteByte('\n')
}

// recordHead is a record's header, parsed without the message.
type recordHead struct {
	record
	size   int
	sum    string
	offset int // where the message starts
}

// decodeRecord parses a whole spool file and checks its size and digest.
func decodeRecord(data []byte) (*record, error) {
	h, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	msg := data[h.offset:]
	if len(msg) != h.size {
		return nil, fmt.Errorf("%w: message is %d bytes, header says %d", ErrCorruptRecord, len(msg), h.size)
	}
	sum := sha256.Sum256(msg)
	if hex.EncodeToString(sum[:]) != h.sum {
		return nil, fmt.Errorf("%w: digest mismatch", ErrCorruptRecord)
	}
	h.Msg = msg
	return &h.record, nil
}

// decodeHead parses the header at the start of data; data may stop
// anywhere after the header's empty line.
func decodeHead(data []byte) (*recordHead, error) {
	end := bytes.Index(data[:min(len(data), MaxRecordHeader)], []byte("\n\n"))
	if end < 0 || !bytes.HasPrefix(data, []byte(recordMagic)) {
		return nil, fmt.Errorf("%w: no header", ErrCorruptRecord)
	}
	p := &headParser{lines: bytes.Split(data[len(recordMagic):end+1], []byte("\n"))}
	h, err := p.parse()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptRecord, err)
	}
	h.offset = end + 2
	return h, nil
}
