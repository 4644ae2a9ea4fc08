package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres keeps the issuer's records in PostgreSQL, for a deployment of
// several issuer processes on one database (docs/DEPLOY.md). The record
// logic is kvTx's, the same as bbolt's, over one table of buckets; every
// write transaction takes one advisory lock first, so writers run one at
// a time across all processes, as bbolt's do in one: status indexes,
// codes, the student index, the audit chain and deltas stay correct
// whatever replica writes. Reads run on a consistent snapshot and never
// wait for writers.
type Postgres struct {
	pool  *pgxpool.Pool
	group group // Batch's
}

// writerLock is the advisory lock every Update holds (any constant the
// database's other users do not take).
const writerLock = 0x434c4131 // "CLA1"

// migrations are applied in order at open, each once, recorded in
// schema_migrations; a new schema is a new entry, never an edit.
var migrations = []string{
	1: `CREATE TABLE kv (
		bucket text NOT NULL,
		key bytea NOT NULL,
		value bytea NOT NULL,
		PRIMARY KEY (bucket, key)
	);
	CREATE TABLE sequences (bucket text PRIMARY KEY, seq bigint NOT NULL)`,
	2: bucketsTable,
	3: sessionsTable,
	4: partitionKV,
}

// partitionKV gives each bucket its own table (a partition of kv by
// bucket), with its own free-space map and index. In one table the small
// rows every issuance adds (an audit entry, a mail) went into the gaps
// PostgreSQL's free-space map found among a million constancias: a page
// read from disk and written in full to the WAL for each, under the
// writer lock, and issuance at a million ran 26–28% slower than at a
// thousand.
// Now the log, the outbox and each index grow at their own end. The
// statements are unchanged (bucket = $1 picks the partition). Buckets
// added later go to kv_other. The rows are copied in the migration's
// transaction: 27 s at a million constancias here (docs/DEPLOY.md).
const partitionKV = `CREATE TABLE kv_by_bucket (
		bucket text NOT NULL,
		key bytea NOT NULL,
		value bytea NOT NULL,
		PRIMARY KEY (bucket, key)
	) PARTITION BY LIST (bucket);
	CREATE TABLE kv_constancias PARTITION OF kv_by_bucket FOR VALUES IN ('constancias');
	CREATE TABLE kv_by_code PARTITION OF kv_by_bucket FOR VALUES IN ('by_code');
	CREATE TABLE kv_by_student PARTITION OF kv_by_bucket FOR VALUES IN ('by_student');
	CREATE TABLE kv_by_index PARTITION OF kv_by_bucket FOR VALUES IN ('by_index');
	CREATE TABLE kv_status PARTITION OF kv_by_bucket FOR VALUES IN ('status');
	CREATE TABLE kv_changes PARTITION OF kv_by_bucket FOR VALUES IN ('changes');
	CREATE TABLE kv_meta PARTITION OF kv_by_bucket FOR VALUES IN ('meta');
	CREATE TABLE kv_log PARTITION OF kv_by_bucket FOR VALUES IN ('log');
	CREATE TABLE kv_versions PARTITION OF kv_by_bucket FOR VALUES IN ('versions');
	CREATE TABLE kv_outbox PARTITION OF kv_by_bucket FOR VALUES IN ('outbox');
	CREATE TABLE kv_other PARTITION OF kv_by_bucket DEFAULT;
	INSERT INTO kv_by_bucket SELECT bucket, key, value FROM kv;
	DROP TABLE kv;
	ALTER TABLE kv_by_bucket RENAME TO kv;
	ANALYZE kv`

// OpenPostgres connects to the database at url (postgres://…) and brings
// its schema up to date.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: database address: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default, the number of CPUs and at least 4, would let the
		// mail deliverers (each holds a connection while the SMTP server
		// answers, 4 at most) starve the requests; many more would only
		// lengthen the requests' tail on a small database server (verify
		// p99 6.6–7.7 ms with 4, 8.4–8.6 ms with 16, here).
		cfg.MaxConns = max(cfg.MaxConns, 8)
	}
	// Session settings for short statements, each unless the address sets
	// it. jit off: with a million constancias the planner's estimates for
	// a scan of one bucket (the outbox's) passed jit_above_cost and every
	// run of it compiled machine code with LLVM, which took more CPU than
	// the statement (request-api at a million: 142 a second with JIT, 882
	// without). Generic plans: the statements of a bucket are the same but
	// for their values, and with the per-bucket statistics the plan cache
	// kept planning each run anew (request-api at a thousand: 752 a second
	// against 942 with generic plans; the bucket's partition is then
	// picked when the statement runs).
	for k, v := range map[string]string{"jit": "off", "plan_cache_mode": "force_generic_plan"} {
		if _, set := cfg.ConnConfig.RuntimeParams[k]; !set {
			cfg.ConnConfig.RuntimeParams[k] = v
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	p := &Postgres{pool: pool}
	var standby bool
	if err := pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if standby {
		pool.Close()
		return nil, errors.New("store: the database is a standby (read-only, replaying its primary): give the issuer the primary, or promote this one (docs/DEPLOY.md)")
	}
	if err := p.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := p.Update(ctx, func(tx Tx) error { return buildVersions(tx.(kvTx)) }); err != nil {
		pool.Close()
		return nil, err
	}
	return p, nil
}

func (p *Postgres) migrate(ctx context.Context) error {
	return pgx.BeginTxFunc(ctx, p.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Replicas starting together: one migrates, the others wait.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, writerLock); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if have >= len(migrations) {
			return fmt.Errorf("store: the database's schema (version %d) is newer than this program's (%d)", have, len(migrations)-1)
		}
		for v := have + 1; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("store: migration %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
				return fmt.Errorf("store: %w", err)
			}
		}
		return nil
	})
}

// View implements Store: a read-only snapshot.
func (p *Postgres) View(ctx context.Context, f func(Tx) error) error {
	return p.run(ctx, pgRead, f)
}

// Update implements Store: one writer at a time across every process on
// the database; committed (durably, with the server's synchronous commit)
// or not at all.
func (p *Postgres) Update(ctx context.Context, f func(Tx) error) error {
	return p.run(ctx, pgWrite, f)
}

// Batch implements Store with group commit (group.do): concurrent
// issuances take the writer lock, which every replica waits for, once
// between them, and share one COMMIT and its WAL flush.
func (p *Postgres) Batch(ctx context.Context, f func(Tx) error) error {
	return p.group.do(ctx, f, p.Update)
}

// Close implements Store.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// pgState is one transaction. The bucket interface has no error on Get;
// the first database error is kept here and fails the transaction.
type pgState struct {
	ctx     context.Context
	tx      *pgTx
	write   bool
	mu      sync.Mutex
	err     error
	buckets map[string]*pgBucket
	// seqs are the buckets' sequences this transaction advanced, kept
	// here and written once before the COMMIT: a writer holds the lock
	// every writer takes, so no other transaction moves them meanwhile.
	seqs map[string]int64
}

// saveSequences queues the sequences this transaction advanced.
func (s *pgState) saveSequences() {
	for name, n := range s.seqs {
		s.tx.queue(`INSERT INTO sequences (bucket, seq) VALUES ($1, $2)
			ON CONFLICT (bucket) DO UPDATE SET seq = excluded.seq`, name, n)
	}
}

func (s *pgState) fail(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = fmt.Errorf("store: %w", err)
	}
	return s.err
}

func (s *pgState) bucket(name string) bucket {
	b, ok := s.buckets[name]
	if !ok {
		b = &pgBucket{s: s, name: name}
		s.buckets[name] = b
	}
	return b
}

type pgBucket struct {
	s    *pgState
	name string
}

func (b *pgBucket) Get(key []byte) []byte {
	var v []byte
	err := b.s.tx.QueryRow(b.s.ctx, `SELECT value FROM kv WHERE bucket = $1 AND key = $2`, b.name, key).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		b.s.fail(err)
		return nil
	}
	return v
}

// GetIndirect implements indirectReader with a join.
func (b *pgBucket) GetIndirect(key []byte, target string) []byte {
	var v []byte
	err := b.s.tx.QueryRow(b.s.ctx, `SELECT r.value FROM kv i JOIN kv r ON r.bucket = $3 AND r.key = i.value
		WHERE i.bucket = $1 AND i.key = $2`, b.name, key, target).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		b.s.fail(err)
		return nil
	}
	return v
}

// ByteAt implements byteReader: the server reads the byte.
func (b *pgBucket) ByteAt(key []byte, i uint64) (byte, bool) {
	if i >= 1<<31 {
		return 0, false
	}
	var v *int32
	err := b.s.tx.QueryRow(b.s.ctx, `SELECT CASE WHEN length(value) > $3 THEN get_byte(value, $3) END
		FROM kv WHERE bucket = $1 AND key = $2`, b.name, key, int32(i)).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, false
	case err != nil:
		b.s.fail(err)
		return 0, false
	case v == nil:
		return 0, false
	}
	return byte(*v), true
}

func (b *pgBucket) Put(key, value []byte) error {
	if !b.s.write {
		return errReadOnly
	}
	if value == nil {
		value = []byte{}
	}
	// Copies: the caller may reuse its slices before the write is sent.
	b.s.tx.queue(`INSERT INTO kv (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, b.name, bytes.Clone(key), bytes.Clone(value))
	return nil
}

func (b *pgBucket) Delete(key []byte) error {
	if !b.s.write {
		return errReadOnly
	}
	b.s.tx.queue(`DELETE FROM kv WHERE bucket = $1 AND key = $2`, b.name, bytes.Clone(key))
	return nil
}

func (b *pgBucket) NextSequence() (uint64, error) {
	if !b.s.write {
		return 0, errReadOnly
	}
	n, ok := b.s.seqs[b.name]
	if !ok {
		err := b.s.tx.QueryRow(b.s.ctx, `SELECT seq FROM sequences WHERE bucket = $1`, b.name).Scan(&n)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return 0, b.s.fail(err)
		}
		if b.s.seqs == nil {
			b.s.seqs = map[string]int64{}
		}
	}
	n++
	b.s.seqs[b.name] = n
	return uint64(n), nil
}

// page is how many rows a scan reads at a time: f may call the
// transaction's other methods, which a connection cannot serve while it
// streams rows, so a scan reads a page, then calls f on each row. The
// first page is small: many scans stop at their first rows (the audit
// trail's last entry, read on every issuance, is one), and a row of the
// trail or a constancia is a kilobyte or more.
const (
	firstPage = 8
	page      = 512
)

func (b *pgBucket) ForEach(start []byte, f func(k, v []byte) error) error {
	if start == nil {
		start = []byte{}
	}
	return b.scan(start, true, false, f)
}

func (b *pgBucket) ForEachReverse(f func(k, v []byte) error) error {
	return b.scan(nil, false, true, f)
}

// scan visits the bucket a page at a time: forwards from `from` (incl:
// from itself too), or backwards from the last key (from nil) or from
// before `from`.
func (b *pgBucket) scan(from []byte, incl, reverse bool, f func(k, v []byte) error) error {
	for n := firstPage; ; n = min(page, n*8) {
		op, order := ">", "ASC"
		switch {
		case reverse:
			op, order = "<", "DESC"
		case incl:
			op = ">="
		}
		// Two statements, not one with "$2 IS NULL OR": a generic plan of
		// that would not bound the index scan by the key.
		var rows pgx.Rows
		var err error
		if from == nil {
			rows, err = b.s.tx.Query(b.s.ctx, `SELECT key, value FROM kv WHERE bucket = $1 ORDER BY key `+order+` LIMIT $2`, b.name, n)
		} else {
			rows, err = b.s.tx.Query(b.s.ctx, `SELECT key, value FROM kv WHERE bucket = $1 AND key `+op+` $2 ORDER BY key `+order+` LIMIT $3`,
				b.name, from, n)
		}
		if err != nil {
			return b.s.fail(err)
		}
		kvs, err := collect(rows)
		if err != nil {
			return b.s.fail(err)
		}
		for _, kv := range kvs {
			if err := f(kv[0], kv[1]); err != nil {
				return err
			}
		}
		if len(kvs) < n {
			return nil
		}
		from, incl = kvs[len(kvs)-1][0], false
	}
}

func collect(rows pgx.Rows) ([][2][]byte, error) {
	defer rows.Close()
	var out [][2][]byte
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out = append(out, [2][]byte{k, v})
	}
	return out, rows.Err()
}

// Compact implements Compacter with a plain VACUUM of every table: the
// space of deleted rows (a cancellation's) is reclaimed for reuse while
// readers and writers go on (VACUUM FULL, which would rewrite the tables,
// locks them, and is not used). PostgreSQL does not zero that space: the
// bytes last until new rows overwrite them, and in the WAL and the backups
// until those age out (docs/DEPLOY.md, retention).
func (p *Postgres) Compact() error {
	if _, err := p.pool.Exec(context.Background(), `VACUUM`); err != nil {
		return fmt.Errorf("store: vacuum: %w", err)
	}
	return nil
}
