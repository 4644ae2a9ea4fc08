// Package issuance is the issuer's business: check a request against the
// registries, then issue the constancia — virtual code, status-list index,
// the signed full record and QR code, the store, the PDF and the e-mail —
// or return the one already issued when nothing changed.
package issuance

import (
	"context"
	"io"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Renderer makes the PDF of a constancia.
type Renderer func(rec *credential.Record, qrText string, recordDoc []byte) ([]byte, error)

// Notifier hands the e-mail of a constancia to the durable mail queue.
type Notifier func(ctx context.Context, to string, c *constancia.Issued, pdf []byte) error

// Service issues constancias.
type Service struct {
	Identity registry.IdentityRegistry
	Records  registry.RecordsRegistry
	Store    store.Store
	Keys     *keys.Keys
	Status   *revocation.List
	Render   Renderer
	Notify   Notifier
	// Secret keys the student index (store.StudentKey).
	Secret []byte
	// Issuer is the iss claim ("MINEDU").
	Issuer string
	Now    func() time.Time
	Rand   io.Reader
	// Record, if set, writes an Event to the audit trail inside the
	// transaction that issued (so one never exists without the other).
	Record func(ctx context.Context, tx store.Tx, e Event) error
}

// Event is one issuance, as the audit trail records it.
type Event struct {
	// Action: "issue", "resend" (the same constancia again), "regenerate",
	// "reissue" or "rectify".
	Action string
	// New is the constancia issued or sent; Old the one it superseded.
	New, Old *constancia.Issued
	Reason   string
}

func (s *Service) record(ctx context.Context, tx store.Tx, e Event) error {
	if s.Record == nil {
		return nil
	}
	return s.Record(ctx, tx, e)
}
