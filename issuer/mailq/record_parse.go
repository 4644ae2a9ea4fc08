package mailq

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// headParser reads a record header's lines in their fixed order.
type headParser struct {
	lines [][]byte
	i     int
}

var errFieldOrder = errors.New("field missing, repeated or out of order")

// next returns the value of the next line if its key is k.
func (p *headParser) next(k string) (string, bool) {
	if p.i >= len(p.lines) {
		return "", false
	}
	v, ok := bytes.CutPrefix(p.lines[p.i], []byte(k+": "))
	if !ok {
		return "", false
	}
	p.i++
	return string(v), true
}

func (p *headParser) parse() (*recordHead, error) {
	h := &recordHead{}
	var err error
	if h.ID, err = p.id(); err != nil {
		return nil, err
	}
	if h.Enqueued, err = p.time(); err != nil {
		return nil, err
	}
	if h.From, err = p.addr("from"); err != nil {
		return nil, err
	}
	if h.To, err = p.recipients(); err != nil {
		return nil, err
	}
	if h.size, err = p.size(); err != nil {
		return nil, err
	}
	if h.sum, err = p.digest(); err != nil {
		return nil, err
	}
	// The split leaves one empty element after the last line's "\n".
	if p.i != len(p.lines)-1 || len(p.lines[p.i]) != 0 {
		return nil, errFieldOrder
	}
	return h, nil
}

func (p *headParser) id() (string, error) {
	v, ok := p.next("id")
	if !ok || !validID(v) {
		return "", fmt.Errorf("id: %w", errFieldOrder)
	}
	return v, nil
}

func (p *headParser) time() (time.Time, error) {
	v, ok := p.next("enqueued")
	if !ok {
		return time.Time{}, fmt.Errorf("enqueued: %w", errFieldOrder)
	}
	t, err := time.Parse(recordTime, v)
	if err != nil || t.Format(recordTime) != v {
		return time.Time{}, errors.New("enqueued: not a canonical UTC time")
	}
	return t, nil
}

func (p *headParser) addr(k string) (string, error) {
	v, ok := p.next(k)
	if !ok {
		return "", fmt.Errorf("%s: %w", k, errFieldOrder)
	}
	if err := checkEnvelopeAddress(v); err != nil {
		return "", fmt.Errorf("%s: %w", k, err)
	}
	return v, nil
}

func (p *headParser) recipients() ([]string, error) {
	var to []string
	for p.i < len(p.lines) && bytes.HasPrefix(p.lines[p.i], []byte("to: ")) {
		if len(to) == MaxRecipients {
			return nil, errors.New("to: too many recipients")
		}
		a, err := p.addr("to")
		if err != nil {
			return nil, err
		}
		to = append(to, a)
	}
	if len(to) == 0 {
		return nil, fmt.Errorf("to: %w", errFieldOrder)
	}
	return to, nil
}

func (p *headParser) size() (int, error) {
	v, ok := p.next("size")
	if !ok {
		return 0, fmt.Errorf("size: %w", errFieldOrder)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > MaxMessageSize || strconv.Itoa(n) != v {
		return 0, errors.New("size: not a canonical size within the cap")
	}
	return n, nil
}

func (p *headParser) digest() (string, error) {
	v, ok := p.next("sha256")
	if !ok || len(v) != 64 {
		return "", fmt.Errorf("sha256: %w", errFieldOrder)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", errors.New("sha256: not lowercase hex")
		}
	}
	return v, nil
}
