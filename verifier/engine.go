// Package verifier is the offline verification engine shared by the
// cla-verify CLI and the desktop app: it reads a code from text, an image
// or a PDF, checks it against the trust data it holds (pinned root keys,
// the keyset, the status list), and says valid, revoked, forged… as one
// Result. It also keeps that trust data up to date: sync with the issuer,
// import and export of bundles.
package verifier

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// Scanner finds QR codes in images (package scan).
type Scanner interface {
	Image(ctx context.Context, img image.Image) ([]string, error)
}

// Options configure an Engine.
type Options struct {
	// Roots are the pinned root public keys.
	Roots []ed25519.PublicKey
	// Store keeps the trust data; nil means memory only.
	Store store.Store
	// Keys, when set, are the only keys trusted (cla-verify --jwks): no
	// store, no status list, revocation not checked.
	Keys keyset.List
	// Limits are the freshness limits (default trust.DefaultLimits).
	Limits trust.Limits
	// Scanner reads QR codes in images and PDF pages.
	Scanner Scanner
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ErrCorruptStore: the stored trust data does not verify. The engine
// starts empty; a sync or an import repairs it.
var ErrCorruptStore = errors.New("verifier: the stored trust data does not verify")

// DamagedError: the store file was damaged (it wraps store.ErrDamaged).
// It was moved aside to Moved, never deleted, and the engine started on a
// fresh, empty store that a sync or an import refills.
type DamagedError struct {
	Moved string
	Err   error
}

func (d *DamagedError) Error() string {
	return fmt.Sprintf("verifier: %v; moved aside to %s, starting a fresh store", d.Err, d.Moved)
}

func (d *DamagedError) Unwrap() error { return d.Err }

// Engine verifies codes. Safe for concurrent use: verifications read an
// immutable snapshot while updates build the next one.
type Engine struct {
	opts  Options
	state atomic.Pointer[trust.State]
	sync  atomic.Pointer[store.SyncInfo]
	mu    sync.Mutex // serialises updates

	subMu sync.Mutex
	subs  map[int]func()
	subN  int
}

// OnChange registers f, called after each change of the trust data held
// (a sync or an import that brought something), on the goroutine that made
// it, once the new data is current: a UI re-judges what it shows
// (Rejudge). The returned function unregisters f.
func (e *Engine) OnChange(f func()) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	if e.subs == nil {
		e.subs = map[int]func(){}
	}
	e.subN++
	id := e.subN
	e.subs[id] = f
	return func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		delete(e.subs, id)
	}
}

func (e *Engine) changed() {
	e.subMu.Lock()
	fs := make([]func(), 0, len(e.subs))
	for _, f := range e.subs {
		fs = append(fs, f)
	}
	e.subMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// Open loads and re-verifies the stored trust data. On ErrCorruptStore
// the engine is still returned, holding what did verify (the keysets
// alone, or nothing); on a *DamagedError, empty, on a fresh store.
func Open(ctx context.Context, o Options) (*Engine, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Limits == (trust.Limits{}) {
		o.Limits = trust.DefaultLimits
	}
	if o.Store == nil {
		o.Store = &store.Memory{}
	}
	e := &Engine{opts: o}
	e.state.Store(trust.New(o.Roots))
	e.sync.Store(&store.SyncInfo{})
	if o.Keys != nil {
		return e, nil
	}
	snap, err := o.Store.Load(ctx)
	var damaged *DamagedError
	if errors.Is(err, store.ErrDamaged) {
		q, ok := o.Store.(interface{ Quarantine() (string, error) })
		if !ok {
			return nil, err
		}
		moved, qerr := q.Quarantine()
		if qerr != nil {
			return nil, fmt.Errorf("%w (moving it aside: %w)", err, qerr)
		}
		damaged = &DamagedError{Moved: moved, Err: err}
		snap, err = o.Store.Load(ctx) // a fresh, empty store
	}
	if err != nil {
		return nil, err
	}
	if damaged != nil {
		return e, damaged
	}
	e.sync.Store(&snap.Sync)
	st, err := trust.Restore(o.Roots, storedOf(snap))
	e.state.Store(st) // what verified: all, or the keysets alone, or nothing
	if err != nil {
		return e, fmt.Errorf("%w: %w", ErrCorruptStore, err)
	}
	return e, nil
}

// State returns the current trust snapshot.
func (e *Engine) State() *trust.State { return e.state.Load() }

// SyncInfo returns what is known of the last sync.
func (e *Engine) SyncInfo() store.SyncInfo { return *e.sync.Load() }

// update builds the next state with f, saves it with the sync record, and
// only then makes it current: a failure anywhere leaves everything as it
// was, on disk and in memory. When f returns a state and an error, the
// state is verified partial progress (new keysets, list refused): it is
// kept and the error returned.
func (e *Engine) update(ctx context.Context, source string, f func(*trust.State, *store.SyncInfo) (*trust.State, error)) error {
	before := e.state.Load()
	defer func() {
		if e.state.Load() != before {
			e.changed()
		}
	}()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.opts.Keys != nil {
		return errors.New("verifier: no trust store in --jwks mode")
	}
	now := e.opts.Now().UTC()
	info := *e.sync.Load()
	info.LastAttempt, info.Source = now, source
	next, err := f(e.state.Load(), &info)
	switch {
	case errors.Is(err, trust.ErrUpToDate):
		info.LastSuccess, info.LastError = now, ""
		e.saveSyncOnly(ctx, info)
		return err
	case err != nil && next == nil:
		info.LastError = err.Error()
		e.saveSyncOnly(ctx, info)
		return err
	case err != nil: // partial progress, verified: keep it, report the rest
		info.LastError = err.Error()
	default:
		info.LastSuccess, info.LastError = now, ""
	}
	snap := snapshotOf(next, info)
	if err := e.opts.Store.Save(ctx, snap); err != nil {
		return fmt.Errorf("verifier: saving trust data: %w", err)
	}
	e.state.Store(next)
	e.sync.Store(&info)
	return err
}

func snapshotOf(st *trust.State, info store.SyncInfo) *store.Snapshot {
	d := st.Stored()
	return &store.Snapshot{KeysetDocs: d.KeysetDocs, KeysetHead: d.KeysetHead, StatusHead: d.StatusHead, Bits: d.Bits,
		ListDoc: d.ListDoc, DeltaDocs: d.DeltaDocs, Floor: d.Floor, Sync: info}
}

func storedOf(s *store.Snapshot) trust.Stored {
	return trust.Stored{KeysetDocs: s.KeysetDocs, KeysetHead: s.KeysetHead, StatusHead: s.StatusHead, Bits: s.Bits,
		ListDoc: s.ListDoc, DeltaDocs: s.DeltaDocs, Floor: s.Floor}
}

// saveSyncOnly records a sync attempt without changing the trust data.
func (e *Engine) saveSyncOnly(ctx context.Context, info store.SyncInfo) {
	if e.opts.Store.Save(ctx, snapshotOf(e.state.Load(), info)) == nil {
		e.sync.Store(&info)
	}
}

// Import applies a bundle file (from a USB stick) with the checks of a
// sync. trust.ErrUpToDate means it brought nothing new.
//
// A bundle that is not sound, not signed by the pinned roots or older than
// the data held is refused: the error wraps ErrRefused (and the reason,
// such as trust.ErrRollback). Other errors are operational (the store).
func (e *Engine) Import(ctx context.Context, data []byte, source string) error {
	b, err := bundle.Parse(data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return e.update(ctx, source, func(s *trust.State, _ *store.SyncInfo) (*trust.State, error) {
		next, err := s.Import(b)
		if err != nil && !errors.Is(err, trust.ErrUpToDate) {
			err = fmt.Errorf("%w: %w", ErrRefused, err)
		}
		return next, err
	})
}

// ErrRefused means trust data was judged and refused (see Import).
var ErrRefused = errors.New("verifier: trust data refused")

// Export returns the trust data held as a bundle file.
func (e *Engine) Export() ([]byte, error) {
	st := e.state.Load()
	if st.Keyset == nil {
		return nil, errors.New("verifier: no trust data to export yet")
	}
	b, err := st.Export(e.opts.Now())
	if err != nil {
		return nil, err
	}
	return b.Marshal()
}

func kidString(kid []byte) string { return hex.EncodeToString(kid) }

// Limits returns the freshness limits in force.
func (e *Engine) Limits() trust.Limits { return e.opts.Limits }
