// Package issuance is the issuer's business: check a request against the
// registries, then issue the constancia — virtual code, status-list index,
// the signed full record and QR code, the store, the PDF and the e-mail —
// or return the one already issued when nothing changed.
package issuance

import (
	"io"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"

	"github.com/minedu-cla/cla/issuer/audit"
)

// Renderer makes the PDF of a constancia.
type Renderer func(rec *credential.Record, qrText string, recordDoc []byte) ([]byte, error)

// Service issues constancias.
type Service struct {
	Identity registry.IdentityRegistry
	Records  registry.RecordsRegistry
	Store    store.Store
	Keys     *keys.Keys
	Status   *revocation.List
	Render   Renderer
	// Queued, if set, is called after a transaction that queued an
	// e-mail commits (the deliverer's Wake: no wait for its next poll).
	Queued func()
	// Secret keys the student index (store.StudentKey).
	Secret []byte
	// Issuer is the iss claim ("MINEDU").
	Issuer string
	Now    func() time.Time
	Rand   io.Reader
	// Audit, if set, records every Event inside the transaction that
	// issued (so one never exists without the other).
	Audit Auditor
}

// Auditor writes issuance events to the audit trail, in the issuing
// transaction tx; an error aborts the issuance.
type Auditor interface {
	IssuanceEvent(tx store.Tx, e Event) error
}

// Actor is who caused an event: a staff user in a role, or Requester.
type Actor struct {
	User string
	Role string
}

// Requester is the holder (or guardian) asking on the public pages.
var Requester = Actor{User: audit.Public}

// EventKind is what an issuance did.
type EventKind string

// Kinds of events.
const (
	KindIssue      EventKind = "issue"      // a first constancia for a student
	KindResend     EventKind = "resend"     // the same constancia sent again to a repeated request
	KindRegenerate EventKind = "regenerate" // a new version the requester asked for
	KindReissue    EventKind = "reissue"    // a new version by staff (lost, key compromised)
	KindRectify    EventKind = "rectify"    // a new version after a rectification request
)

// Event is one issuance, as the audit trail records it.
type Event struct {
	Kind EventKind
	By   Actor
	// New is the constancia issued or sent; Old the one it superseded.
	New, Old *constancia.Issued
	Reason   string
}

func (s *Service) record(tx store.Tx, e Event) error {
	if s.Audit == nil {
		return nil
	}
	return s.Audit.IssuanceEvent(tx, e)
}
