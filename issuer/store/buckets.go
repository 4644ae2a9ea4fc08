package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres keeps token buckets (rate limits) shared by every issuer
// process on the database: a client, an account or a document gets one
// budget whichever replica it reaches (issuer/web's Buckets). A bbolt
// store is one process, whose limits stay in its memory.

// The buckets live in an UNLOGGED table: no WAL for a counter written on
// every page view, and nothing to keep after a crash of the database (a
// crash empties it: every bucket full again) or on a standby.
const bucketsTable = `CREATE UNLOGGED TABLE rate_buckets (
		key bytea PRIMARY KEY, -- limit, a zero byte, the client's key
		tokens float8 NOT NULL,
		last timestamptz NOT NULL,
		taken boolean NOT NULL
	);
	CREATE INDEX rate_buckets_last ON rate_buckets (last)`

// Take takes a token from key's bucket, which fills at rate tokens a
// second up to burst (full when new); without a token it takes nothing and
// says how long until there is one. One statement: the bucket is refilled
// for the time since it was last touched and a token taken if there is
// one, atomically against every other process.
func (p *Postgres) Take(ctx context.Context, key string, rate, burst float64, now time.Time) (bool, time.Duration, error) {
	if burst < 1 {
		return false, waitFor(0, rate), nil
	}
	var tokens float64
	var taken bool
	err := p.pool.QueryRow(ctx, `INSERT INTO rate_buckets AS b (key, tokens, last, taken) VALUES ($1, $3::float8 - 1, $4, true)
		ON CONFLICT (key) DO UPDATE SET
			tokens = least($3::float8, b.tokens + greatest(0, extract(epoch FROM $4 - b.last)) * $2::float8)
				- CASE WHEN least($3::float8, b.tokens + greatest(0, extract(epoch FROM $4 - b.last)) * $2::float8) >= 1 THEN 1 ELSE 0 END,
			taken = least($3::float8, b.tokens + greatest(0, extract(epoch FROM $4 - b.last)) * $2::float8) >= 1,
			last = greatest(b.last, $4)
		RETURNING tokens, taken`, []byte(key), rate, burst, now).Scan(&tokens, &taken)
	if err != nil {
		return false, 0, fmt.Errorf("store: rate limit: %w", err)
	}
	if taken {
		return true, 0, nil
	}
	return false, waitFor(tokens, rate), nil
}

// Wait says how long until key's bucket has a token, taking none.
func (p *Postgres) Wait(ctx context.Context, key string, rate, burst float64, now time.Time) (time.Duration, error) {
	var tokens float64
	err := p.pool.QueryRow(ctx, `SELECT least($3::float8, tokens + greatest(0, extract(epoch FROM $4 - last)) * $2::float8)
		FROM rate_buckets WHERE key = $1`, []byte(key), rate, burst, now).Scan(&tokens)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: rate limit: %w", err)
	}
	if tokens >= 1 {
		return 0, nil
	}
	return waitFor(tokens, rate), nil
}

// Sweep forgets buckets untouched since before (full again by then: the
// same as no bucket).
func (p *Postgres) Sweep(ctx context.Context, before time.Time) (int64, error) {
	tag, err := p.pool.Exec(ctx, `DELETE FROM rate_buckets WHERE last < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("store: rate limit: %w", err)
	}
	return tag.RowsAffected(), nil
}

func waitFor(tokens, rate float64) time.Duration {
	if rate <= 0 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration((1 - tokens) / rate * float64(time.Second))
}
