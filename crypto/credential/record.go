package credential

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/dcbor"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// RecordContentType is the protected content type of the full record, the
// file attached to the PDF.
const RecordContentType = "application/vnd.cla.record+cbor"

// Record is the full signed record of a constancia: every year, area,
// grade and observation. Its digest is in the QR code.
type Record struct {
	Issuer      string
	IssuedAt    time.Time
	Code        string
	StatusIndex uint64
	Student     Student
	Years       []RecordYear
}

// RecordYear is one school year in full.
type RecordYear struct {
	Year   int
	Level  Level
	Grade  int
	School School
	Scale  Scale
	// Areas are the áreas curriculares, in the order printed.
	Areas []Mark
	// Transversal are the competencias transversales.
	Transversal  []Mark
	Result       Result
	Observations []string
}

// School is where a year was studied.
type School struct {
	// Code is the código modular (7 digits), Annex its anexo (1 digit).
	Code, Annex string
	Name        string
	// Ubigeo is the school's district, RENIEC code (6 digits).
	Ubigeo string
}

// Mark is the calificativo of one area.
type Mark struct {
	Area  string
	Value string
}

// Scale is the grading scale of a year.
type Scale uint8

// Scales. Which one applies depends on year, level and grade (the issuer
// knows the rules); the record says which one it used.
const (
	// Literal: AD, A, B, C.
	Literal Scale = 1
	// LiteralInicial: A, B, C (inicial before 2020).
	LiteralInicial Scale = 2
	// Vigesimal: "00" to "20" (secundaria before 2020).
	Vigesimal Scale = 3
)

// Special mark values valid on every scale.
const (
	// Exonerated from Educación Religiosa.
	Exonerated = "EXO"
	// NoMark: the area has no calificativo.
	NoMark = "-"
)

// Accepts reports whether v is a mark on scale s.
func (s Scale) Accepts(v string) bool {
	if v == Exonerated || v == NoMark {
		return true
	}
	switch s {
	case Literal:
		return v == "AD" || v == "A" || v == "B" || v == "C"
	case LiteralInicial:
		return v == "A" || v == "B" || v == "C"
	case Vigesimal:
		n, err := strconv.Atoi(v)
		return err == nil && len(v) == 2 && n >= 0 && n <= 20
	}
	return false
}

type wireRecord struct {
	Iss  string      `cbor:"1,keyasint"`
	Iat  uint64      `cbor:"6,keyasint"`
	Body wireRecBody `cbor:"-65538,keyasint"`
}

type wireRecBody struct {
	Code    string      `cbor:"1,keyasint"`
	Index   uint64      `cbor:"2,keyasint"`
	Student wireStudent `cbor:"3,keyasint"`
	Years   []wireYear  `cbor:"4,keyasint"`
}

type wireYear struct {
	Year         uint64     `cbor:"1,keyasint"`
	Level        uint8      `cbor:"2,keyasint"`
	Grade        uint8      `cbor:"3,keyasint"`
	School       wireSchool `cbor:"4,keyasint"`
	Scale        uint8      `cbor:"5,keyasint"`
	Areas        []wireMark `cbor:"6,keyasint"`
	Transversal  []wireMark `cbor:"7,keyasint"`
	Result       uint8      `cbor:"8,keyasint"`
	Observations []string   `cbor:"9,keyasint"`
}

type wireSchool struct {
	_      struct{} `cbor:",toarray"`
	Code   string
	Annex  string
	Name   string
	Ubigeo string
}

type wireMark struct {
	_     struct{} `cbor:",toarray"`
	Area  string
	Value string
}

func (r *Record) wire() wireRecord {
	w := wireRecord{Iss: r.Issuer, Iat: unix(r.IssuedAt), Body: wireRecBody{
		Code: r.Code, Index: r.StatusIndex, Student: r.Student.wire(), Years: []wireYear{}}}
	marks := func(ms []Mark) []wireMark {
		out := make([]wireMark, 0, len(ms))
		for _, m := range ms {
			out = append(out, wireMark{Area: m.Area, Value: m.Value})
		}
		return out
	}
	for _, y := range r.Years {
		w.Body.Years = append(w.Body.Years, wireYear{
			Year: uint64(max(y.Year, 0)), Level: uint8(y.Level), Grade: uint8(max(0, min(y.Grade, 255))),
			School: wireSchool{Code: y.School.Code, Annex: y.School.Annex, Name: y.School.Name, Ubigeo: y.School.Ubigeo},
			Scale:  uint8(y.Scale), Areas: marks(y.Areas), Transversal: marks(y.Transversal),
			Result: uint8(y.Result), Observations: append([]string{}, y.Observations...)})
	}
	return w
}

func (w *wireRecord) record() *Record {
	r := &Record{Issuer: w.Iss, IssuedAt: fromUnix(w.Iat), Code: w.Body.Code, StatusIndex: w.Body.Index,
		Student: w.Body.Student.student()}
	marks := func(ws []wireMark) []Mark {
		out := make([]Mark, 0, len(ws))
		for _, m := range ws {
			out = append(out, Mark{Area: m.Area, Value: m.Value})
		}
		return out
	}
	for _, y := range w.Body.Years {
		year := int(min(y.Year, 1<<20))
		r.Years = append(r.Years, RecordYear{Year: year, Level: Level(y.Level), Grade: int(y.Grade),
			School: School{Code: y.School.Code, Annex: y.School.Annex, Name: y.School.Name, Ubigeo: y.School.Ubigeo},
			Scale:  Scale(y.Scale), Areas: marks(y.Areas), Transversal: marks(y.Transversal),
			Result: Result(y.Result), Observations: y.Observations})
	}
	return r
}

// Summary returns the per-year summary the QR code carries.
func (r *Record) Summary() []YearSummary {
	out := make([]YearSummary, 0, len(r.Years))
	for _, y := range r.Years {
		out = append(out, YearSummary{Year: y.Year, Level: y.Level, Grade: y.Grade, Result: y.Result})
	}
	return out
}

// Validate checks every field against the schema of docs/FORMAT.md.
func (r *Record) Validate() error {
	if err := checkHeader(r.Issuer, r.IssuedAt, r.Code, r.StatusIndex); err != nil {
		return err
	}
	if err := r.Student.Validate(); err != nil {
		return err
	}
	if err := validateYears(r.Summary()); err != nil {
		return err
	}
	for _, y := range r.Years {
		if err := y.validate(); err != nil {
			return fmt.Errorf("year %d: %w", y.Year, err)
		}
	}
	return nil
}

func (y RecordYear) validate() error {
	s := y.School
	switch {
	case !allDigits(s.Code, 7, 7) || !allDigits(s.Annex, 1, 1):
		return fmt.Errorf("código modular %q-%q", s.Code, s.Annex)
	case !allDigits(s.Ubigeo, 6, 6):
		return fmt.Errorf("ubigeo %q", s.Ubigeo)
	case y.Scale < Literal || y.Scale > Vigesimal:
		return fmt.Errorf("scale %d", y.Scale)
	case len(y.Areas) == 0 || len(y.Areas) > MaxAreas || len(y.Transversal) > MaxAreas:
		return fmt.Errorf("%d areas, %d transversal", len(y.Areas), len(y.Transversal))
	case len(y.Observations) > MaxObservations:
		return fmt.Errorf("%d observations", len(y.Observations))
	}
	if err := checkText("school name", s.Name, MaxField, true); err != nil {
		return err
	}
	for _, m := range slices.Concat(y.Areas, y.Transversal) {
		if err := checkText("area", m.Area, MaxField, true); err != nil {
			return err
		}
		if !y.Scale.Accepts(m.Value) {
			return fmt.Errorf("mark %q of %q is not on scale %d", m.Value, m.Area, y.Scale)
		}
	}
	for _, o := range y.Observations {
		if err := checkText("observation", o, MaxField, true); err != nil {
			return err
		}
	}
	return nil
}

// SealRecord signs r with priv and returns the record document.
func SealRecord(priv ed25519.PrivateKey, r *Record) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("credential: %w", err)
	}
	payload, err := dcbor.Marshal(r.wire())
	if err != nil {
		return nil, err
	}
	return cose.SignDocument(priv, RecordContentType, payload)
}

// RecordDigest returns the SHA-256 of a record document, as the QR code
// carries it.
func RecordDigest(doc []byte) []byte {
	sum := sha256.Sum256(doc)
	return sum[:]
}

// OpenRecord reads and verifies a record document against keys, with the
// same outcomes as Open.
func OpenRecord(doc []byte, keys keyset.Lookup) (*Record, keyset.Key, error) {
	if len(doc) > MaxRecord {
		return nil, keyset.Key{}, malformed("record", fmt.Errorf("over %d bytes", MaxRecord))
	}
	m, err := cose.DecodeDocument(doc, RecordContentType)
	if err != nil {
		return nil, keyset.Key{}, malformed("cose", err)
	}
	var w wireRecord
	if err := dcbor.Unmarshal(m.Payload, &w); err != nil {
		return nil, keyset.Key{}, malformed("record", err)
	}
	r := w.record()
	if err := r.Validate(); err != nil {
		return nil, keyset.Key{}, malformed("record", err)
	}
	k, err := verifyKey(m, keys, r.IssuedAt)
	if errors.Is(err, keyset.ErrUnknownKey) || errors.Is(err, cose.ErrSignature) {
		return nil, keyset.Key{}, err
	}
	return r, k, err
}

// ErrMismatch: a QR code and a record that do not belong together.
var ErrMismatch = errors.New("credential: the QR code and the attached record do not match")

// Matches checks that record document doc is the one c vouches for.
func (c *Claims) Matches(doc []byte) error {
	if !slices.Equal(RecordDigest(doc), c.RecordDigest) {
		return ErrMismatch
	}
	return nil
}

// Agrees checks that an opened record says what c says: code, index,
// student and years. The digest (Matches) already proves it for records of
// a well-behaved issuer; this catches an issuer bug that signed two
// different stories.
func (c *Claims) Agrees(r *Record) error {
	if r.Code != c.Code || r.StatusIndex != c.StatusIndex || r.Student != c.Student || !slices.Equal(r.Summary(), c.Years) {
		return ErrMismatch
	}
	return nil
}
