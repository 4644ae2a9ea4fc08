package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres keeps the web sessions (a person's way through the request
// form, a staff member's sign-in) where every replica finds them, so a
// client need not stay on one replica (issuer/web's SessionStore). The
// values are sealed by the web layer before they get here (AES-GCM under
// a key of the issuer's secret): the database holds ciphertext under the
// hash of the cookie, never the cookie or what was typed. A bbolt store is
// one process, whose sessions stay in its memory.
//
// UNLOGGED, as the rate limits: no WAL for what lives thirty minutes, and
// a crash of the database signs everyone out (the form is typed again).
const sessionsTable = `CREATE UNLOGGED TABLE web_sessions (
		kind text NOT NULL,
		id bytea NOT NULL,
		value bytea NOT NULL,
		expires timestamptz NOT NULL,
		PRIMARY KEY (kind, id)
	);
	CREATE INDEX web_sessions_expires ON web_sessions (kind, expires)`

// LoadSession returns the sealed value of a live session, or nil.
func (p *Postgres) LoadSession(ctx context.Context, kind string, id []byte, now time.Time) ([]byte, error) {
	var v []byte
	err := p.pool.QueryRow(ctx, `SELECT value FROM web_sessions WHERE kind = $1 AND id = $2 AND expires > $3`, kind, id, now).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return v, nil
}

// SaveSession stores (or replaces) a session until expires.
func (p *Postgres) SaveSession(ctx context.Context, kind string, id, value []byte, expires time.Time) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO web_sessions (kind, id, value, expires) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, expires = excluded.expires`, kind, id, value, expires)
	if err != nil {
		return fmt.Errorf("store: session: %w", err)
	}
	return nil
}

// DeleteSession ends a session.
func (p *Postgres) DeleteSession(ctx context.Context, kind string, id []byte) error {
	if _, err := p.pool.Exec(ctx, `DELETE FROM web_sessions WHERE kind = $1 AND id = $2`, kind, id); err != nil {
		return fmt.Errorf("store: session: %w", err)
	}
	return nil
}

// SweepSessions deletes the sessions of kind that expired by now and
// returns them, id and value, each to one caller only (replicas sweeping
// at once share them out): the console writes each end to the audit
// trail.
func (p *Postgres) SweepSessions(ctx context.Context, kind string, now time.Time) ([][2][]byte, error) {
	rows, err := p.pool.Query(ctx, `DELETE FROM web_sessions WHERE kind = $1 AND expires <= $2 RETURNING id, value`, kind, now)
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	out, err := collect(rows)
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return out, nil
}
