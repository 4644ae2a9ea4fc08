package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	bolt "go.etcd.io/bbolt"
)

// Migrate copies every record of the bbolt file src into the empty
// PostgreSQL database dst — constancias and their indexes, the status list
// and its history, the audit trail, staff, requests, everything — with
// the buckets' sequences, in one transaction: dst holds all of it or none.
// It is how an issuer that outgrew one machine moves to PostgreSQL (the
// issuer stopped: cla-issuer database migrate), and how the load tests
// fill a database fast (PostgreSQL's COPY, not one statement a record).
// progress, if not nil, is called with the rows copied so far.
func Migrate(ctx context.Context, src *Bolt, dst *Postgres, progress func(rows int)) error {
	src.mu.RLock()
	defer src.mu.RUnlock()
	return src.db.View(func(btx *bolt.Tx) error {
		var unknown []string
		btx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if !slices.Contains(buckets, string(name)) {
				unknown = append(unknown, string(name))
			}
			return nil
		})
		if len(unknown) > 0 {
			return fmt.Errorf("store: the bbolt file has buckets this program does not know: %v", unknown)
		}
		return pgx.BeginTxFunc(ctx, dst.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writerLock); err != nil {
				return err
			}
			// Empty but for the mark an open leaves (the versions index is
			// built); the file brings its own.
			var used bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM kv WHERE NOT (bucket = $1 AND key = $2))
				OR EXISTS (SELECT 1 FROM sequences)`, bVersions, versionsBuilt).Scan(&used)
			if err != nil {
				return err
			}
			if used {
				return fmt.Errorf("store: the database already holds an issuer's records; migrate into an empty one")
			}
			if _, err := tx.Exec(ctx, `DELETE FROM kv`); err != nil {
				return err
			}
			total := 0
			for _, name := range buckets {
				b := btx.Bucket([]byte(name))
				if b == nil {
					continue
				}
				c := b.Cursor()
				k, v := c.First()
				n, err := tx.CopyFrom(ctx, pgx.Identifier{"kv"}, []string{"bucket", "key", "value"},
					pgx.CopyFromFunc(func() ([]any, error) {
						if k == nil {
							return nil, nil
						}
						if v == nil {
							return nil, fmt.Errorf("bucket %s holds a nested bucket", name)
						}
						row := []any{name, k, v}
						k, v = c.Next()
						total++
						if progress != nil && total%100_000 == 0 {
							progress(total)
						}
						return row, nil
					}))
				if err != nil {
					return fmt.Errorf("store: copying %s: %w", name, err)
				}
				if n != int64(b.Stats().KeyN) {
					return fmt.Errorf("store: copied %d of %s's %d records", n, name, b.Stats().KeyN)
				}
				if seq := b.Sequence(); seq > 0 {
					if _, err := tx.Exec(ctx, `INSERT INTO sequences (bucket, seq) VALUES ($1, $2)`, name, int64(seq)); err != nil {
						return err
					}
				}
			}
			if progress != nil {
				progress(total)
			}
			// The planner's statistics, for the first queries.
			_, err = tx.Exec(ctx, `ANALYZE kv`)
			return err
		})
	})
}
