package manage

import (
	"context"
	"io"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/stats"
	"github.com/minedu-cla/cla/issuer/store"
)

// The auditor's reads, so that the console reaches the store only through
// the Manager.

// CheckAudit walks the whole audit chain (about 1.6 µs an entry).
func (m *Manager) CheckAudit(ctx context.Context) (audit.Report, error) {
	return audit.Check(ctx, m.Store)
}

// AuditLine is one entry of the trail as stored: Entry is nil when the
// record does not decode (the chain check names why).
type AuditLine struct {
	Seq   uint64
	Entry *audit.Entry
}

// RecentAudit returns the newest n entries of the trail, oldest first.
func (m *Manager) RecentAudit(ctx context.Context, n uint64) ([]AuditLine, error) {
	var out []AuditLine
	err := m.Store.View(ctx, func(tx store.Tx) error {
		last, _, err := tx.LastLog()
		if err != nil || last == 0 {
			return err
		}
		from := uint64(1)
		if last > n {
			from = last - n + 1
		}
		return tx.ForEachLog(from, func(seq uint64, rec []byte) error {
			line := AuditLine{Seq: seq}
			if e, err := audit.Decode(rec); err == nil {
				line.Entry = &e
			}
			out = append(out, line)
			return nil
		})
	})
	return out, err
}

// ExportAudit writes the whole trail to w as JSON Lines (audit.Export).
func (m *Manager) ExportAudit(ctx context.Context, w io.Writer) error {
	return audit.Export(ctx, m.Store, w)
}

// Statistics computes the anonymised statistics (stats.Compute).
func (m *Manager) Statistics(ctx context.Context, o stats.Options) (*stats.Report, error) {
	return stats.Compute(ctx, m.Store, o)
}
