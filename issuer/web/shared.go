package web

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SessionStore keeps sessions where every replica of the issuer finds
// them (store.Postgres), so a client need not stay on one replica. What
// it keeps is sealed here first: the store sees the hash of the cookie and
// ciphertext.
type SessionStore interface {
	LoadSession(ctx context.Context, kind string, id []byte, now time.Time) ([]byte, error)
	SaveSession(ctx context.Context, kind string, id, value []byte, expires time.Time) error
	DeleteSession(ctx context.Context, kind string, id []byte) error
	// SweepSessions deletes the sessions of kind expired by now and
	// returns them (id, value), each to one caller.
	SweepSessions(ctx context.Context, kind string, now time.Time) ([][2][]byte, error)
}

// SharedSessions seals session values (AES-256-GCM, a fresh nonce each
// time, bound to the session's kind and id) into a SessionStore, under
// keys derived from the issuer's secret, which every replica shares. The
// CSRF token of a session is an HMAC of its cookie, so any replica checks
// it, and a session that holds nothing yet need not be stored at all: a
// flood of page views writes nothing to the database.
type SharedSessions struct {
	store SessionStore
	aead  cipher.AEAD
	mac   []byte
}

// NewSharedSessions returns sessions kept in st, sealed under keys of
// secret.
func NewSharedSessions(st SessionStore, secret []byte) (*SharedSessions, error) {
	if len(secret) < 16 {
		return nil, errors.New("web: shared sessions need the issuer's secret")
	}
	block, err := aes.NewCipher(derive(secret, "cla web sessions v1: seal"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SharedSessions{store: st, aead: aead, mac: derive(secret, "cla web sessions v1: csrf")}, nil
}

func derive(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// key is what the store knows a session by: the hash of its cookie, so
// the database does not hold cookies someone could replay.
func key(kind, cookie string) []byte {
	h := sha256.Sum256([]byte(kind + "\x00" + cookie))
	return h[:]
}

// CSRF is the session's form token.
func (s *SharedSessions) CSRF(kind, cookie string) string {
	m := hmac.New(sha256.New, s.mac)
	m.Write([]byte(kind + "\x00" + cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// Load reads the session into v; false when there is none (never stored,
// expired, or sealed under another secret).
func (s *SharedSessions) Load(ctx context.Context, kind, cookie string, now time.Time, v any) (bool, error) {
	sealed, err := s.store.LoadSession(ctx, kind, key(kind, cookie), now)
	if err != nil || sealed == nil {
		return false, err
	}
	return s.open(kind, key(kind, cookie), sealed, v)
}

func (s *SharedSessions) open(kind string, id, sealed []byte, v any) (bool, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return false, nil
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], append([]byte(kind+"\x00"), id...))
	if err != nil {
		return false, nil // another secret's, or altered: as if absent
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return false, fmt.Errorf("web: session: %w", err)
	}
	return true, nil
}

// Save seals v and keeps it until expires.
func (s *SharedSessions) Save(ctx context.Context, kind, cookie string, v any, expires time.Time) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("web: session: %w", err)
	}
	id := key(kind, cookie)
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(nonce)
	return s.store.SaveSession(ctx, kind, id, s.aead.Seal(nonce, nonce, plain, append([]byte(kind+"\x00"), id...)), expires)
}

// Delete ends the session.
func (s *SharedSessions) Delete(ctx context.Context, kind, cookie string) error {
	return s.store.DeleteSession(ctx, kind, key(kind, cookie))
}

// Sweep deletes the expired sessions of kind and calls f with each one
// this replica removed; open decodes it into v (false: unreadable).
func (s *SharedSessions) Sweep(ctx context.Context, kind string, now time.Time, f func(open func(v any) bool)) error {
	kvs, err := s.store.SweepSessions(ctx, kind, now)
	for _, kv := range kvs {
		f(func(v any) bool { ok, err := s.open(kind, kv[0], kv[1], v); return ok && err == nil })
	}
	return err
}
