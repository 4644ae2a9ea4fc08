package school

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Cell is one area's mark in a year: "AD", "A", "B", "C", "00"–"20", "EXO"
// or "-".
type Cell struct {
	Area Area
	Mark string
}

// Marks are a year's cells in print order. On the wire they are a JSON
// object keyed by area code, in that order: {"MAT":"A","COM":"AD"}.
type Marks []Cell

// Get returns the mark of area a.
func (m Marks) Get(a Area) (string, bool) {
	for _, c := range m {
		if c.Area == a {
			return c.Mark, true
		}
	}
	return "", false
}

// MarshalJSON writes the object in slice order.
func (m Marks) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(&b, string(c.Area))
		b.WriteByte(':')
		writeString(&b, c.Mark)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeString writes s as a JSON string. Area codes and marks are short
// ASCII, written as they are; anything else goes through encoding/json.
func writeString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			b.Write(q)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// UnmarshalJSON reads the object keeping its order. Values must be strings
// and keys may not repeat; the areas and marks themselves are checked by
// Year.Validate.
func (m *Marks) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("%w: marks must be a JSON object", ErrInvalid)
	}
	var out Marks
	for dec.More() {
		if len(out) >= MaxAreas {
			return fmt.Errorf("%w: too many marks", ErrInvalid)
		}
		c, err := readCell(dec)
		if err != nil {
			return err
		}
		if _, dup := out.Get(c.Area); dup {
			return fmt.Errorf("%w: area %s repeated", ErrInvalid, c.Area)
		}
		out = append(out, c)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%w: marks: %v", ErrInvalid, err)
	}
	*m = out
	return nil
}

func readCell(dec *json.Decoder) (Cell, error) {
	k, err := dec.Token()
	if err != nil {
		return Cell{}, fmt.Errorf("%w: marks: %v", ErrInvalid, err)
	}
	v, err := dec.Token()
	key, ok1 := k.(string)
	val, ok2 := v.(string)
	if err != nil || !ok1 || !ok2 {
		return Cell{}, fmt.Errorf("%w: marks must map area codes to strings", ErrInvalid)
	}
	return Cell{Area: Area(key), Mark: val}, nil
}
