// Package constancia is the issuer's domain: a constancia it issued, where
// it stands (active, revoked, superseded, cancelled) and who asked for it.
// It is a leaf: storage (issuer/store), issuance, management, the web and
// the statistics all speak of the same type, and none owns it.
package constancia

import (
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
)

// State is where a constancia stands.
type State string

// States.
const (
	Active     State = "active"
	Revoked    State = "revoked"
	Superseded State = "superseded" // replaced by a newer version after the records changed
	Cancelled  State = "cancelled"  // personal data removed at the holder's request (Ley 29733)
)

// Requester is who asked for a constancia.
type Requester string

// Requesters.
const (
	Adult    Requester = "adult"    // the student, 18 or older
	Guardian Requester = "guardian" // a parent or registered tutor of a minor
)

// Issued is one issued constancia, as the issuer keeps it.
type Issued struct {
	ID      uint64 `json:"id"`
	Code    string `json:"code"` // canonical virtual code
	Version int    `json:"version"`
	// StudentKey identifies the student without their document number:
	// an HMAC of it under the issuer's secret (see Keyed).
	StudentKey  string             `json:"student_key"`
	Student     credential.Student `json:"student"`
	RecordDoc   []byte             `json:"record_doc"` // the signed full record
	QRText      string             `json:"qr_text"`
	ContentHash []byte             `json:"content_hash"` // of the records, to tell "unchanged"
	StatusIndex uint64             `json:"status_index"`
	IssuedAt    time.Time          `json:"issued_at"`
	KeyID       []byte             `json:"kid"`
	State       State              `json:"state"`
	// Reason of a revocation; it stays on the issuer (never published).
	Reason       string    `json:"reason,omitempty"`
	ChangedAt    time.Time `json:"changed_at,omitzero"`
	SupersededBy uint64    `json:"superseded_by,omitempty"`
	// For anonymised statistics: who asked, the department (2-digit
	// RENIEC code) of their address, the highest level the record reaches
	// (1 inicial, 2 primaria, 3 secundaria); and the terms they accepted.
	Requester    Requester `json:"requester"`
	Level        uint8     `json:"level"`
	Department   string    `json:"department"`
	TermsVersion string    `json:"terms_version"`
	TermsAt      time.Time `json:"terms_at"`
	// Email is where the holder asked the constancia to be sent; kept
	// while the constancia is in force, only to tell them of a reissue
	// (rectification, a compromised key). Cancellation removes it.
	Email string `json:"email,omitempty"`
	// Opposed: the holder opposed processing beyond the constancia itself
	// (or withdrew consent): it is left out of the statistics and its
	// statistical facts are cleared.
	Opposed bool `json:"opposed,omitempty"`
}
