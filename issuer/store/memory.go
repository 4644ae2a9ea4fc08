package store

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
)

// Memory is an in-memory backend for tests: Update works on a copy and
// swaps it in only on success, so a failed transaction changes nothing.
type Memory struct {
	mu     sync.RWMutex
	data   map[string]*memBucket
	outbox localOutbox
}

type memBucket struct {
	kv  map[string][]byte
	seq uint64
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	m := &Memory{data: map[string]*memBucket{}}
	for _, b := range buckets {
		m.data[b] = &memBucket{kv: map[string][]byte{}}
	}
	buildVersions(kvTx{b: func(name string) bucket { return m.data[name] }})
	return m
}

// View implements Store.
func (m *Memory) View(ctx context.Context, f func(Tx) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return f(kvTx{b: func(name string) bucket { return readOnly{m.data[name]} }})
}

// Update implements Store.
func (m *Memory) Update(ctx context.Context, f func(Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	next := map[string]*memBucket{}
	for name, b := range m.data {
		next[name] = &memBucket{kv: maps.Clone(b.kv), seq: b.seq}
	}
	if err := f(kvTx{b: func(name string) bucket { return next[name] }}); err != nil {
		return err
	}
	m.data = next
	return nil
}

// Batch implements Store (as Update: memory has no commits to share).
func (m *Memory) Batch(ctx context.Context, f func(Tx) error) error { return m.Update(ctx, f) }

// Close implements Store.
func (m *Memory) Close() error { return nil }

func (b *memBucket) Get(key []byte) []byte { return b.kv[string(key)] }

func (b *memBucket) Put(key, value []byte) error {
	b.kv[string(key)] = bytes.Clone(value)
	return nil
}

func (b *memBucket) Delete(key []byte) error {
	delete(b.kv, string(key))
	return nil
}

func (b *memBucket) NextSequence() (uint64, error) {
	b.seq++
	return b.seq, nil
}

func (b *memBucket) ForEachReverse(f func(k, v []byte) error) error {
	keys := slices.Sorted(maps.Keys(b.kv))
	for i := len(keys) - 1; i >= 0; i-- {
		if err := f([]byte(keys[i]), b.kv[keys[i]]); err != nil {
			return err
		}
	}
	return nil
}

func (b *memBucket) ForEach(start []byte, f func(k, v []byte) error) error {
	for _, k := range slices.Sorted(maps.Keys(b.kv)) {
		if start != nil && k < string(start) {
			continue
		}
		if err := f([]byte(k), b.kv[k]); err != nil {
			return err
		}
	}
	return nil
}

// readOnly refuses writes in View, as bbolt does.
type readOnly struct{ *memBucket }

func (readOnly) Put([]byte, []byte) error      { return errReadOnly }
func (readOnly) Delete([]byte) error           { return errReadOnly }
func (readOnly) NextSequence() (uint64, error) { return 0, errReadOnly }

var errReadOnly = errors.New("store: write in a read-only transaction")
