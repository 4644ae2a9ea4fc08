package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgQuerier is what a transaction's code calls: pgx.Tx's query methods,
// which pgTx provides too.
type pgQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pgTx is a transaction whose statements travel in pipelines: its opening
// (BEGIN, and for a writer the advisory lock) goes with its first query,
// and its writes (which answer nothing the transaction reads back but
// through a later query) wait and go with the next query or the COMMIT. A
// verification by code is then two round trips to the server (BEGIN and
// the lookup; ROLLBACK), not four, and a batch of five hundred audit
// entries a handful, not a thousand: the writer lock, which every replica
// waits for, is held that much shorter. A transaction that runs no
// statement sends nothing. A write that fails fails the statement it
// travels with, or the COMMIT: the transaction is not committed either way.
type pgTx struct {
	conn    *pgxpool.Conn
	open    []pgStmt // sent with the first statement
	pending []pgStmt // writes not sent yet
	begun   bool
	// one: no transaction, a single statement (viewOne); used once it ran.
	one, used bool
}

var errSecondStatement = errors.New("store: a read of one statement (ViewOne) made a second")

// once reports an error for a second statement of a one-statement read.
func (t *pgTx) once() error {
	if !t.one {
		return nil
	}
	if t.used {
		return errSecondStatement
	}
	t.used = true
	return nil
}

type pgStmt struct {
	sql  string
	args []any
}

var _ pgQuerier = (*pgTx)(nil)

// queue keeps a write for the next pipeline.
func (t *pgTx) queue(sql string, args ...any) { t.pending = append(t.pending, pgStmt{sql, args}) }

// send sends what waits (the opening, the pending writes) and sql in one
// batch and returns the batch with sql's result next.
func (t *pgTx) send(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	var before []pgStmt
	if !t.begun {
		before = t.open
	}
	before = append(before, t.pending...)
	t.pending = nil
	b := &pgx.Batch{}
	for _, s := range before {
		b.Queue(s.sql, s.args...)
	}
	b.Queue(sql, args...)
	br := t.conn.SendBatch(ctx, b)
	t.begun = true
	for range before {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	return br, nil
}

// direct reports whether sql can go alone: nothing waits to go with it.
func (t *pgTx) direct() bool { return t.begun && len(t.pending) == 0 }

func (t *pgTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.once(); err != nil {
		return pgconn.CommandTag{}, err
	}
	if t.direct() {
		return t.conn.Exec(ctx, sql, args...)
	}
	br, err := t.send(ctx, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	return tag, errors.Join(err, br.Close())
}

func (t *pgTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.once(); err != nil {
		return nil, err
	}
	if t.direct() {
		return t.conn.Query(ctx, sql, args...)
	}
	br, err := t.send(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (t *pgTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.once(); err != nil {
		return errRow{err}
	}
	if t.direct() {
		return t.conn.QueryRow(ctx, sql, args...)
	}
	br, err := t.send(ctx, sql, args)
	if err != nil {
		return errRow{err}
	}
	return batchRow{row: br.QueryRow(), br: br}
}

// end commits (with the writes still waiting) or rolls back (dropping
// them) what the transaction began.
func (t *pgTx) end(ctx context.Context, commit bool) error {
	if t.one {
		return nil // no transaction was begun
	}
	if !commit {
		t.pending = nil
		if !t.begun {
			return nil
		}
		_, err := t.conn.Exec(ctx, "ROLLBACK")
		return err
	}
	if !t.begun && len(t.pending) == 0 {
		return nil
	}
	tag, err := t.Exec(ctx, "COMMIT")
	if err == nil && tag.String() == "ROLLBACK" {
		// COMMIT of a transaction a failed statement aborted.
		err = errors.New("the transaction was rolled back")
	}
	return err
}

type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	r.br.Close()
}

type batchRow struct {
	row pgx.Row
	br  pgx.BatchResults
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// viewOne implements oneReader: f's one statement runs on its own, with
// no BEGIN before it and no ROLLBACK after (a statement sees one
// snapshot): one round trip to the server.
func (p *Postgres) viewOne(ctx context.Context, f func(Tx) error) error {
	return p.run(ctx, pgOne, f)
}

// pgMode is what run runs.
type pgMode int

const (
	pgRead  pgMode = iota // a read-only transaction on one snapshot
	pgWrite               // a write transaction, after the writer lock
	pgOne                 // one statement on its own (viewOne)
)

// run runs f: a reader on one snapshot, a writer after the advisory lock,
// committed if f and every statement succeeded.
func (p *Postgres) run(ctx context.Context, mode pgMode, f func(Tx) error) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer conn.Release()
	write := mode == pgWrite
	var tx *pgTx
	switch mode {
	case pgRead:
		tx = &pgTx{conn: conn, open: []pgStmt{{sql: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"}}}
	case pgWrite:
		tx = &pgTx{conn: conn, open: []pgStmt{{sql: "BEGIN ISOLATION LEVEL READ COMMITTED"},
			{sql: "SELECT pg_advisory_xact_lock($1)", args: []any{writerLock}}}}
	case pgOne:
		tx = &pgTx{conn: conn, begun: true, one: true}
	}
	st := &pgState{ctx: ctx, tx: tx, write: write, buckets: map[string]*pgBucket{}}
	err = f(kvTx{b: st.bucket})
	if err == nil && st.err == nil && write {
		st.saveSequences()
		if err := tx.end(ctx, true); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	}
	if rerr := tx.end(context.WithoutCancel(ctx), false); rerr != nil {
		// The connection is in an unknown state: the pool must not reuse it.
		conn.Conn().Close(context.WithoutCancel(ctx))
	}
	if st.err != nil {
		return st.err // a database error inside f: nothing is committed
	}
	return err
}
