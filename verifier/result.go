package verifier

import (
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/verifier/trust"
)

// Result is the outcome of verifying one code: the same type in the
// engine, in cla-verify --json and in the desktop app.
type Result struct {
	Status credential.Status `json:"status"`
	// Reason refines the status with a stable code the UI translates:
	// no_code_found, not_a_cla_code, unsupported_file, clock_behind…
	Reason string `json:"reason,omitempty"`
	// Detail is a technical explanation in English, for logs and experts.
	Detail string `json:"detail,omitempty"`
	// Source says where the code was read: a file, or what the UI says.
	Source string `json:"source,omitempty"`
	// Page is the page of a PDF the code was read on (0: not a PDF page).
	Page int `json:"page,omitempty"`
	// Warnings travel beside the status (stable codes, translated by UIs).
	Warnings   []string    `json:"warnings,omitempty"`
	Constancia *Constancia `json:"constancia,omitempty"`
	Key        *KeyInfo    `json:"key,omitempty"`
	Trust      TrustInfo   `json:"trust"`

	// basis is what the result was judged from, to judge it again when
	// the trust data changes (Engine.Rejudge); nil for results that hold
	// no code (nothing found) or come from the issuer (Lookup).
	basis *basis
}

// basis is a verified input and the trust state it was judged against.
type basis struct {
	st *trust.State
	// text is the QR text; or record, a signed record found alone.
	text   string
	record []byte
	// records are the signed records attached to the PDF the text was
	// read from; several is set when the source held other codes.
	records [][]byte
	several bool
}

// Warning codes.
const (
	WarnTrustOld        = trust.Old
	WarnSyncMayHelp     = "sync_may_help"
	WarnNoRevocation    = "revocation_not_checked"
	WarnRecordMismatch  = "record_mismatch"
	WarnRecordOnly      = "verified_from_attachment_only"
	WarnSeveralCodes    = "several_codes"
	WarnRecordNotSigned = "record_not_verified"
)

// Reasons beside a status.
const (
	ReasonNoCode      = "no_code_found"
	ReasonNotCLA      = "not_a_cla_code"
	ReasonUnsupported = "unsupported_file"
	ReasonUnreadable  = "unreadable_file"
	ReasonNotCovered  = "index_not_in_status_list"
)

// ExitCode is cla-verify's exit status for a verification status
// (docs/DESIGN.md).
func ExitCode(s credential.Status) int {
	switch s {
	case credential.Valid:
		return 0
	case credential.Revoked:
		return 10
	case credential.InvalidSignature:
		return 11
	case credential.UnknownKey:
		return 12
	case credential.KeyCompromised:
		return 13
	case credential.KeyNotValid:
		return 14
	case credential.Malformed:
		return 15
	case credential.Stale:
		return 16
	case credential.NotFound:
		return 20
	}
	return 1
}

// Constancia is what a code says, for people.
type Constancia struct {
	Code        string    `json:"code"`
	StatusIndex uint64    `json:"status_index"`
	Issuer      string    `json:"issuer"`
	IssuedAt    time.Time `json:"issued_at"`
	Student     Student   `json:"student"`
	Years       []Year    `json:"years"`
	// Record is the full signed record, when the PDF carried it.
	Record *Record `json:"record,omitempty"`
}

// Student is the holder.
type Student struct {
	DocType       string `json:"doc_type"`
	DocNumber     string `json:"doc_number"`
	GivenNames    string `json:"given_names"`
	FirstSurname  string `json:"first_surname"`
	SecondSurname string `json:"second_surname,omitempty"`
	FullName      string `json:"full_name"`
}

// Year is one school year's summary.
type Year struct {
	Year   int    `json:"year"`
	Level  string `json:"level"`
	Grade  int    `json:"grade"`
	Result string `json:"result"`
}

// Record is the full record: every year's school, areas and marks.
type Record struct {
	Years []RecordYear `json:"years"`
}

// RecordYear is one year in full.
type RecordYear struct {
	Year         int      `json:"year"`
	Level        string   `json:"level"`
	Grade        int      `json:"grade"`
	School       string   `json:"school"`
	SchoolCode   string   `json:"school_code"` // código modular-anexo
	Ubigeo       string   `json:"ubigeo"`
	Areas        []Mark   `json:"areas"`
	Transversal  []Mark   `json:"transversal,omitempty"`
	Result       string   `json:"result"`
	Observations []string `json:"observations,omitempty"`
}

// Mark is one area's calificativo.
type Mark struct {
	Area  string `json:"area"`
	Value string `json:"value"`
}

// KeyInfo describes the signing key.
type KeyInfo struct {
	ID        string    `json:"kid"`
	Status    string    `json:"status"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
}

// TrustInfo describes the trust data a result was judged with: which
// keyset and status list, how old each was (by their signed issued_at)
// at JudgedAt.
type TrustInfo struct {
	KeysetSeq      uint64        `json:"keyset_seq,omitempty"`
	KeysetIssuedAt time.Time     `json:"keyset_issued_at,omitzero"`
	KeysetAge      time.Duration `json:"keyset_age_ns,omitempty"`
	StatusSeq      uint64        `json:"status_seq,omitempty"`
	StatusIssuedAt time.Time     `json:"status_issued_at,omitzero"`
	// Age is the status list's age.
	Age      time.Duration `json:"age_ns,omitempty"`
	JudgedAt time.Time     `json:"judged_at,omitzero"`
	KeysOnly bool          `json:"keys_only,omitempty"`
}

func constanciaOf(c *credential.Claims) *Constancia {
	out := &Constancia{Code: vcode.Format(c.Code), StatusIndex: c.StatusIndex, Issuer: c.Issuer, IssuedAt: c.IssuedAt,
		Student: Student{DocType: c.Student.DocType.String(), DocNumber: c.Student.DocNumber,
			GivenNames: c.Student.GivenNames, FirstSurname: c.Student.FirstSurname,
			SecondSurname: c.Student.SecondSurname, FullName: c.Student.FullName()}}
	for _, y := range c.Years {
		out.Years = append(out.Years, Year{Year: y.Year, Level: y.Level.String(), Grade: y.Grade, Result: y.Result.String()})
	}
	return out
}

func recordOf(r *credential.Record) *Record {
	out := &Record{}
	marks := func(ms []credential.Mark) []Mark {
		var o []Mark
		for _, m := range ms {
			o = append(o, Mark{Area: m.Area, Value: m.Value})
		}
		return o
	}
	for _, y := range r.Years {
		out.Years = append(out.Years, RecordYear{Year: y.Year, Level: y.Level.String(), Grade: y.Grade,
			School: y.School.Name, SchoolCode: y.School.Code + "-" + y.School.Annex, Ubigeo: y.School.Ubigeo,
			Areas: marks(y.Areas), Transversal: marks(y.Transversal), Result: y.Result.String(),
			Observations: y.Observations})
	}
	return out
}

func keyInfo(k keyset.Key) *KeyInfo {
	return &KeyInfo{ID: kidString(k.ID), Status: k.Status.String(), NotBefore: k.NotBefore, NotAfter: k.NotAfter}
}

// Code returns the QR text r was judged from: "" when none (nothing
// found, a signed record alone, an online lookup).
func (r Result) Code() string {
	if r.basis == nil {
		return ""
	}
	return r.basis.text
}

// HelpKey is the message key of what a person should do about r: the
// status's own advice, except that a clock behind the trust data calls for
// fixing the clock, not for a sync.
func (r Result) HelpKey() string {
	if r.Status == credential.Stale && r.Reason == trust.ClockBehind {
		return "status.stale.clock.help"
	}
	return "status." + string(r.Status) + ".help"
}

// ClockBehind reports whether r was judged with a clock behind the trust
// data (then the data's age is unknown, not zero).
func (r Result) ClockBehind() bool { return r.Reason == trust.ClockBehind }
