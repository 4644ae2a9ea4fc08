package web

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// mapStore is a SessionStore in a map: the sealing is what is tested
// here (the database's side is store.TestPostgresSessions, both together
// e2e.TestSessionsAcrossReplicas).
type mapStore map[string][]byte

func (m mapStore) LoadSession(_ context.Context, kind string, id []byte, _ time.Time) ([]byte, error) {
	return m[kind+string(id)], nil
}
func (m mapStore) SaveSession(_ context.Context, kind string, id, v []byte, _ time.Time) error {
	m[kind+string(id)] = v
	return nil
}
func (m mapStore) DeleteSession(_ context.Context, kind string, id []byte) error {
	delete(m, kind+string(id))
	return nil
}
func (m mapStore) SweepSessions(context.Context, string, time.Time) ([][2][]byte, error) {
	return nil, nil
}

// The attacks on a sealed session: read it (the store holds neither the
// cookie nor the text), alter it, move it to another cookie or kind, or
// open it with another issuer's secret. Each reads as no session.
func TestSharedSessionsSealed(t *testing.T) {
	ctx, now := context.Background(), time.Now()
	st := mapStore{}
	s, err := NewSharedSessions(st, []byte("the issuer's secret, 32 bytes.."))
	if err != nil {
		t.Fatal(err)
	}
	type state struct{ Doc, Email string }
	want := state{"10117410", "ana@example.pe"}
	if err := s.Save(ctx, "public", "cookie-a", want, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if len(st) != 1 {
		t.Fatalf("%d rows", len(st))
	}
	for k, v := range st {
		for _, clear := range []string{"cookie-a", want.Doc, want.Email} {
			if bytes.Contains([]byte(k), []byte(clear)) || bytes.Contains(v, []byte(clear)) {
				t.Errorf("the store holds %q in clear", clear)
			}
		}
	}
	var got state
	if ok, err := s.Load(ctx, "public", "cookie-a", now, &got); !ok || err != nil || got != want {
		t.Fatalf("Load = %v, %v, %+v", ok, err, got)
	}
	for k, v := range st { // altered: one bit of the ciphertext
		v[len(v)-1] ^= 1
		if ok, _ := s.Load(ctx, "public", "cookie-a", now, &got); ok {
			t.Error("an altered session opened")
		}
		v[len(v)-1] ^= 1
		st["public"+string(key("public", "cookie-b"))] = v // moved to another cookie
		st["staff"+string(key("staff", "cookie-a"))] = v   // and to another kind
		_ = k
	}
	if ok, _ := s.Load(ctx, "public", "cookie-b", now, &got); ok {
		t.Error("a session opened under another cookie")
	}
	if ok, _ := s.Load(ctx, "staff", "cookie-a", now, &got); ok {
		t.Error("a form session opened as a staff session")
	}
	other, _ := NewSharedSessions(st, []byte("another issuer's secret, 32 b.."))
	if ok, _ := other.Load(ctx, "public", "cookie-a", now, &got); ok {
		t.Error("a session opened under another secret")
	}
	if s.CSRF("public", "cookie-a") == s.CSRF("public", "cookie-b") || s.CSRF("public", "cookie-a") == s.CSRF("staff", "cookie-a") ||
		s.CSRF("public", "cookie-a") == other.CSRF("public", "cookie-a") {
		t.Error("CSRF tokens repeat across cookies, kinds or secrets")
	}
	if err := s.Delete(ctx, "public", "cookie-a"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Load(ctx, "public", "cookie-a", now, &got); ok {
		t.Error("a deleted session opened")
	}
}
