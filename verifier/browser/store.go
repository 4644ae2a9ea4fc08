package browser

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/minedu-cla/cla/verifier/store"
)

// Blob keeps one byte string: in the browser an IndexedDB record
// (worker.js's claIDB), in tests memory.
type Blob interface {
	// Load returns the bytes saved last, nil when none.
	Load(ctx context.Context) ([]byte, error)
	// Save replaces them; it returns once they are durable (the
	// IndexedDB transaction completed).
	Save(ctx context.Context, data []byte) error
	// Quarantine moves the bytes aside, never deleting them, and says
	// where to.
	Quarantine(ctx context.Context) (string, error)
}

// Store is a store.Store in a Blob: the snapshot encoded whole
// (snapshot.go), so a save is one write, atomic as IndexedDB's
// transactions are.
type Store struct {
	Blob Blob
}

// Load implements store.Store. Bytes that do not decode are
// store.ErrDamaged.
func (s *Store) Load(ctx context.Context) (*store.Snapshot, error) {
	data, err := s.Blob.Load(ctx)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return &store.Snapshot{}, nil
	}
	snap, err := DecodeSnapshot(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", store.ErrDamaged, err)
	}
	return snap, nil
}

// Save implements store.Store.
func (s *Store) Save(ctx context.Context, snap *store.Snapshot) error {
	old, err := s.Load(ctx)
	switch {
	case errors.Is(err, store.ErrDamaged): // replaced by a sound one
	case err != nil:
		return err
	case snap.Floor.Before(old.Floor):
		return store.ErrFloorBackwards
	}
	data, err := EncodeSnapshot(snap)
	if err != nil {
		return err
	}
	return s.Blob.Save(ctx, data)
}

// Quarantine moves damaged trust data aside (verifier.Open calls it on
// store.ErrDamaged), so the engine starts on an empty store.
func (s *Store) Quarantine() (string, error) { return s.Blob.Quarantine(context.Background()) }

// MemoryBlob is a Blob in memory, for tests.
type MemoryBlob struct {
	mu          sync.Mutex
	data, aside []byte
}

// Load implements Blob.
func (m *MemoryBlob) Load(context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return clone(m.data), nil
}

// Save implements Blob.
func (m *MemoryBlob) Save(_ context.Context, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = clone(data)
	return nil
}

// Quarantine implements Blob.
func (m *MemoryBlob) Quarantine(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.aside, m.data = m.data, nil
	return "memory (aside)", nil
}

// Aside returns what Quarantine moved aside.
func (m *MemoryBlob) Aside() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return clone(m.aside)
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
