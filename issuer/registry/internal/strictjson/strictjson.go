// Package strictjson decodes JSON the way a verifier should: no duplicate
// object keys, no unknown fields, bounded nesting, nothing after the value.
// encoding/json alone keeps the last of two duplicate keys, which lets two
// parsers read one document differently.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxDepth bounds nesting; the deepest registry document nests 5 levels.
const MaxDepth = 16

// ErrMalformed is wrapped by every error Unmarshal returns.
var ErrMalformed = errors.New("malformed JSON")

// Unmarshal checks data and decodes it into v, refusing fields v does not
// have.
func Unmarshal(data []byte, v any) error {
	if err := Check(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s", ErrMalformed, scrub(err))
	}
	return nil
}

// Check reports whether data is one JSON value with no duplicate keys and
// at most MaxDepth levels, followed by nothing but white space.
func Check(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walk(dec, 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the value", ErrMalformed)
	}
	return nil
}

func walk(dec *json.Decoder, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("%w: nested too deep", ErrMalformed)
	}
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: %s", ErrMalformed, scrub(err))
	}
	switch t {
	case json.Delim('{'):
		return walkObject(dec, depth)
	case json.Delim('['):
		for dec.More() {
			if err := walk(dec, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	if err != nil {
		return fmt.Errorf("%w: %s", ErrMalformed, scrub(err))
	}
	return nil
}

func walkObject(dec *json.Decoder, depth int) error {
	seen := map[string]bool{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %s", ErrMalformed, scrub(err))
		}
		key, _ := k.(string)
		if seen[key] {
			return fmt.Errorf("%w: duplicate key", ErrMalformed)
		}
		seen[key] = true
		if err := walk(dec, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%w: %s", ErrMalformed, scrub(err))
	}
	return nil
}

// scrub keeps an error's kind but not the input it may quote (a name, a
// document number): error messages end up in logs.
func scrub(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("wrong type for field %q", typ.Field)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end"
	}
	return "invalid value"
}
