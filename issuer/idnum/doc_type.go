package idnum

import (
	"fmt"
	"log/slog"
)

// Kind is the kind of an identity document.
type Kind uint8

// Document kinds. The zero Kind means "no document".
const (
	KindNone        Kind = iota
	KindDNI              // DNI, answered by RENIEC
	KindCE               // carné de extranjería, answered by Migraciones
	KindStudentCode      // código del estudiante, known only to SIAGIE
)

var kindNames = [...]string{KindDNI: "DNI", KindCE: "CE", KindStudentCode: "CODIGO"}

// String returns the kind's code as used on the wire: "DNI", "CE", "CODIGO".
func (k Kind) String() string {
	if k == KindNone || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", k)
	}
	return kindNames[k]
}

// ParseKind parses a kind code ("DNI", "CE", "CODIGO").
func ParseKind(s string) (Kind, error) {
	for k, name := range kindNames {
		if name != "" && name == s {
			return Kind(k), nil
		}
	}
	return KindNone, ErrKind
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if k == KindNone || int(k) >= len(kindNames) {
		return nil, ErrKind
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Doc is an identity document: its kind and normalised number. The zero Doc
// means "no document" (a student SIAGIE knows only by code, an unknown
// parent).
type Doc struct {
	Kind   Kind   `json:"type"`
	Number string `json:"number"`
}

// Parse parses s as a document of kind k and returns it normalised.
func Parse(k Kind, s string) (Doc, error) {
	var (
		n   string
		err error
	)
	switch k {
	case KindDNI:
		var d DNI
		d, err = ParseDNI(s)
		n = string(d)
	case KindCE:
		var c CE
		c, err = ParseCE(s)
		n = string(c)
	case KindStudentCode:
		var c StudentCode
		c, err = ParseStudentCode(s)
		n = string(c)
	default:
		return Doc{}, ErrKind
	}
	if err != nil {
		return Doc{}, err
	}
	return Doc{Kind: k, Number: n}, nil
}

// FromDNI, FromCE and FromStudentCode wrap an already parsed number.
func FromDNI(d DNI) Doc                 { return Doc{Kind: KindDNI, Number: string(d)} }
func FromCE(c CE) Doc                   { return Doc{Kind: KindCE, Number: string(c)} }
func FromStudentCode(c StudentCode) Doc { return Doc{Kind: KindStudentCode, Number: string(c)} }

// IsZero reports whether d is "no document".
func (d Doc) IsZero() bool { return d == Doc{} }

// Validate reports whether d is a known kind with a number already in
// normal form (what Parse returns). Decoders call it on what they read.
func (d Doc) Validate() error {
	p, err := Parse(d.Kind, d.Number)
	if err != nil {
		return err
	}
	if p != d {
		return fmt.Errorf("%s: not in normal form: %w", d.Kind, ErrCharset)
	}
	return nil
}

// String returns "DNI 10117410". It is personal data: see LogValue.
func (d Doc) String() string {
	if d.IsZero() {
		return "none"
	}
	return d.Kind.String() + " " + d.Number
}

// LogValue keeps the number out of structured logs: only the kind is logged.
func (d Doc) LogValue() slog.Value {
	if d.IsZero() {
		return slog.StringValue("none")
	}
	return slog.StringValue(d.Kind.String() + " (redacted)")
}
