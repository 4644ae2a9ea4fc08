package store

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// Memory is a Store in memory, for tests and for a verifier run with no
// store file (cla-verify verify --jwks).
type Memory struct {
	mu   sync.Mutex
	snap Snapshot
}

// Load implements Store.
func (m *Memory) Load(context.Context) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return copySnapshot(&m.snap), nil
}

// Save implements Store.
func (m *Memory) Save(_ context.Context, s *Snapshot) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.Floor.Before(m.snap.Floor) {
		return ErrFloorBackwards
	}
	m.snap = *copySnapshot(s)
	return nil
}

func copySnapshot(s *Snapshot) *Snapshot {
	c := *s
	c.KeysetDocs = cloneDocs(s.KeysetDocs)
	c.DeltaDocs = cloneDocs(s.DeltaDocs)
	c.ListDoc = slices.Clone(s.ListDoc)
	c.KeysetHead = slices.Clone(s.KeysetHead)
	c.StatusHead = slices.Clone(s.StatusHead)
	c.Bits = slices.Clone(s.Bits)
	c.Sync.ETags = maps.Clone(s.Sync.ETags)
	return &c
}

func cloneDocs(docs [][]byte) [][]byte {
	if docs == nil {
		return nil
	}
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = slices.Clone(d)
	}
	return out
}
