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

// Engine verifies codes. Safe for concurrent use: verifications read an
// immutable snapshot while updates build the next one.
type Engine struct {
	opts  Options
	state atomic.Pointer[trust.State]
	sync  atomic.Pointer[store.SyncInfo]
	mu    sync.Mutex // serialises updates
}

// Open loads and re-verifies the stored trust data. On ErrCorruptStore
// the engine is still returned, empty.
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
	if err != nil {
		return nil, err
	}
	e.sync.Store(&snap.Sync)
	st, err := trust.Restore(o.Roots, snap.KeysetDocs, snap.ListDoc, snap.DeltaDocs, snap.Floor)
	if err != nil {
		empty := trust.New(o.Roots)
		empty.Floor = snap.Floor // the floor survives: a clock check needs no signatures
		e.state.Store(empty)
		return e, fmt.Errorf("%w: %w", ErrCorruptStore, err)
	}
	e.state.Store(st)
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
	snap := &store.Snapshot{KeysetDocs: next.KeysetDocs, ListDoc: next.ListDoc, DeltaDocs: next.DeltaDocs,
		Floor: next.Floor, Sync: info}
	if err := e.opts.Store.Save(ctx, snap); err != nil {
		return fmt.Errorf("verifier: saving trust data: %w", err)
	}
	e.state.Store(next)
	e.sync.Store(&info)
	return err
}

// saveSyncOnly records a sync attempt without changing the trust data.
func (e *Engine) saveSyncOnly(ctx context.Context, info store.SyncInfo) {
	st := e.state.Load()
	snap := &store.Snapshot{KeysetDocs: st.KeysetDocs, ListDoc: st.ListDoc, DeltaDocs: st.DeltaDocs, Floor: st.Floor, Sync: info}
	if e.opts.Store.Save(ctx, snap) == nil {
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
	return st.Export(e.opts.Now()).Marshal()
}

func kidString(kid []byte) string { return hex.EncodeToString(kid) }

// Limits returns the freshness limits in force.
func (e *Engine) Limits() trust.Limits { return e.opts.Limits }
