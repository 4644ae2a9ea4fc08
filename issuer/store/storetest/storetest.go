// Package storetest is the conformance suite every issuer store backend
// must pass.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

func sample(code, key string, version int, index uint64) *constancia.Issued {
	return &constancia.Issued{Code: code, Version: version, StudentKey: key, StatusIndex: index,
		Student:   credential.Student{DocType: credential.DNI, DocNumber: "10117410", GivenNames: "ANA", FirstSurname: "RUIZ"},
		RecordDoc: []byte{0xd2, 1, 2}, QRText: "CLA1:X", IssuedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		State: constancia.Active, Requester: constancia.Adult, Department: "14"}
}

// Run runs the suite; newStore returns an empty store.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("constancias and indexes", func(t *testing.T) {
		s := newStore(t)
		v1 := sample("CODE1", "k1", 1, 10)
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutConstancia(v1) }); err != nil {
			t.Fatal(err)
		}
		if v1.ID == 0 {
			t.Fatal("no ID assigned")
		}
		v2 := sample("CODE2", "k1", 2, 11)
		s.Update(ctx, func(tx store.Tx) error { return tx.PutConstancia(v2) })
		err := s.View(ctx, func(tx store.Tx) error {
			for _, c := range []struct {
				get  func() (*constancia.Issued, error)
				want uint64
			}{
				{func() (*constancia.Issued, error) { return tx.ByCode("CODE1") }, v1.ID},
				{func() (*constancia.Issued, error) { return tx.ByCode("CODE2") }, v2.ID},
				{func() (*constancia.Issued, error) { return tx.ByStudent("k1") }, v2.ID},
				{func() (*constancia.Issued, error) { return tx.ByIndex(10) }, v1.ID},
				{func() (*constancia.Issued, error) { return tx.Constancia(v2.ID) }, v2.ID},
			} {
				got, err := c.get()
				if err != nil || got.ID != c.want {
					t.Errorf("lookup = %+v, %v; want id %d", got, err, c.want)
				}
			}
			if _, err := tx.ByCode("NOPE"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("missing code: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Replacing a record re-indexes it; an older version never takes
		// the student index back.
		v1.State, v1.Code = constancia.Superseded, "CODE1B"
		s.Update(ctx, func(tx store.Tx) error { return tx.PutConstancia(v1) })
		s.View(ctx, func(tx store.Tx) error {
			if _, err := tx.ByCode("CODE1"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old code still indexed: %v", err)
			}
			if c, _ := tx.ByCode("CODE1B"); c == nil || c.State != constancia.Superseded {
				t.Errorf("replaced record: %+v", c)
			}
			if c, _ := tx.ByStudent("k1"); c == nil || c.ID != v2.ID {
				t.Errorf("student index moved back to an old version: %+v", c)
			}
			return nil
		})
		// Delete removes the record and its indexes.
		s.Update(ctx, func(tx store.Tx) error { return tx.DeleteConstancia(v2.ID) })
		s.View(ctx, func(tx store.Tx) error {
			for name, f := range map[string]func() (*constancia.Issued, error){
				"id":      func() (*constancia.Issued, error) { return tx.Constancia(v2.ID) },
				"code":    func() (*constancia.Issued, error) { return tx.ByCode("CODE2") },
				"index":   func() (*constancia.Issued, error) { return tx.ByIndex(11) },
				"student": func() (*constancia.Issued, error) { return tx.ByStudent("k1") },
			} {
				if _, err := f(); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("after delete, by %s: %v", name, err)
				}
			}
			return nil
		})
	})
	t.Run("failed update changes nothing", func(t *testing.T) {
		s := newStore(t)
		boom := errors.New("boom")
		err := s.Update(ctx, func(tx store.Tx) error {
			tx.PutConstancia(sample("X", "k", 1, 1))
			tx.PutMeta("m", []byte("v"))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		s.View(ctx, func(tx store.Tx) error {
			if _, err := tx.ByCode("X"); !errors.Is(err, store.ErrNotFound) {
				t.Error("a failed update left a record")
			}
			if _, err := tx.Meta("m"); !errors.Is(err, store.ErrNotFound) {
				t.Error("a failed update left metadata")
			}
			return nil
		})
	})
	t.Run("view is read-only", func(t *testing.T) {
		s := newStore(t)
		err := s.View(ctx, func(tx store.Tx) error { return tx.PutMeta("m", []byte("v")) })
		if err == nil {
			t.Fatal("wrote in a view")
		}
	})
	t.Run("status and changes", func(t *testing.T) {
		s := newStore(t)
		st := &store.Status{Bits: make([]byte, 16), Seq: 3, Doc: []byte("doc")}
		st.Bits[1] = 0x80 // index 8 revoked
		s.Update(ctx, func(tx store.Tx) error {
			if err := tx.PutConstancia(sample("C", "", 1, 7)); err != nil {
				return err
			}
			for seq := uint64(1); seq <= 3; seq++ {
				if err := tx.AddChange(store.Change{Seq: seq, Set: []uint64{seq * 10}}); err != nil {
					return err
				}
			}
			return tx.PutStatus(st)
		})
		s.View(ctx, func(tx store.Tx) error {
			got, err := tx.Status()
			if err != nil || got.Seq != 3 || string(got.Doc) != "doc" || len(got.Bits) != 16 {
				t.Errorf("status %+v %v", got, err)
			}
			for idx, want := range map[uint64]bool{7: true, 8: true, 9: false} {
				if used, err := tx.IndexUsed(idx); used != want || err != nil {
					t.Errorf("index %d used = %v, %v", idx, used, err)
				}
			}
			if _, err := tx.IndexUsed(16 * 8); err == nil {
				t.Error("an index past the list is not an error")
			}
			ch, err := tx.Changes(1)
			if err != nil || len(ch) != 2 || ch[0].Seq != 2 || ch[1].Set[0] != 30 {
				t.Errorf("changes after 1: %+v %v", ch, err)
			}
			return nil
		})
	})
	t.Run("meta by prefix", func(t *testing.T) {
		s := newStore(t)
		s.Update(ctx, func(tx store.Tx) error {
			for _, k := range []string{"mail/2", "mail/1", "other", "mail/3", "mailx"} {
				tx.PutMeta(k, []byte(k))
			}
			return tx.DeleteMeta("mail/3")
		})
		var keys []string
		s.View(ctx, func(tx store.Tx) error {
			return tx.ForEachMeta("mail/", func(k string, v []byte) error {
				if k != string(v) {
					t.Errorf("%s = %s", k, v)
				}
				keys = append(keys, k)
				return nil
			})
		})
		if len(keys) != 2 || keys[0] != "mail/1" || keys[1] != "mail/2" {
			t.Fatalf("mail/ keys: %v", keys)
		}
	})
	t.Run("append-only log", func(t *testing.T) {
		s := newStore(t)
		s.View(ctx, func(tx store.Tx) error {
			if seq, rec, err := tx.LastLog(); seq != 0 || rec != nil || err != nil {
				t.Errorf("empty log: %d %q %v", seq, rec, err)
			}
			return nil
		})
		s.Update(ctx, func(tx store.Tx) error {
			for _, r := range []string{"a", "b", "c"} {
				if _, err := tx.AppendLog([]byte(r)); err != nil {
					return err
				}
			}
			return nil
		})
		s.View(ctx, func(tx store.Tx) error {
			seq, rec, err := tx.LastLog()
			if seq != 3 || string(rec) != "c" || err != nil {
				t.Errorf("last: %d %q %v", seq, rec, err)
			}
			var got []string
			tx.ForEachLog(2, func(seq uint64, r []byte) error { got = append(got, fmt.Sprint(seq, string(r))); return nil })
			if len(got) != 2 || got[0] != "2b" || got[1] != "3c" {
				t.Errorf("from 2: %v", got)
			}
			return nil
		})
	})
	t.Run("for each in order", func(t *testing.T) {
		s := newStore(t)
		s.Update(ctx, func(tx store.Tx) error {
			for i := range 20 {
				tx.PutConstancia(sample(string(rune('A'+i)), "", 1, uint64(i)))
			}
			return nil
		})
		var ids []uint64
		s.View(ctx, func(tx store.Tx) error {
			return tx.ForEach(func(c *constancia.Issued) error { ids = append(ids, c.ID); return nil })
		})
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("not in ID order: %v", ids)
			}
		}
		if len(ids) != 20 {
			t.Fatalf("%d records", len(ids))
		}
	})
	t.Run("versions of a student", func(t *testing.T) {
		s := newStore(t)
		// Students whose keys are prefixes of each other ("s1", "s10"),
		// versions interleaved, one deleted, one without a student key.
		var drop uint64
		err := s.Update(ctx, func(tx store.Tx) error {
			for i := range 9 {
				key := []string{"s1", "s10", "s2"}[i%3]
				c := sample(fmt.Sprint("V", i), key, i/3+1, uint64(100+i))
				if err := tx.PutConstancia(c); err != nil {
					return err
				}
				if i == 3 {
					drop = c.ID
				}
			}
			return tx.PutConstancia(sample("NOKEY", "", 1, 999))
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteConstancia(drop) }); err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx store.Tx) error {
			want := map[string][]string{}
			tx.ForEach(func(c *constancia.Issued) error {
				if c.StudentKey != "" {
					want[c.StudentKey] = append(want[c.StudentKey], c.Code)
				}
				return nil
			})
			for _, key := range []string{"s1", "s10", "s2", "nobody", ""} {
				vs, err := tx.Versions(key)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, v := range vs {
					got = append(got, v.Code)
				}
				if fmt.Sprint(got) != fmt.Sprint(want[key]) {
					t.Errorf("Versions(%q) = %v, want %v (a scan of every constancia)", key, got, want[key])
				}
			}
			if vs, _ := tx.Versions("s1"); len(vs) != 2 {
				t.Errorf("s1 has %d versions after one of three was deleted", len(vs))
			}
			return nil
		})
	})
	t.Run("concurrent updates serialise", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				s.Update(ctx, func(tx store.Tx) error {
					return tx.PutConstancia(sample(string(rune('a'+i)), "", 1, uint64(100+i)))
				})
			})
		}
		wg.Wait()
		n := 0
		s.View(ctx, func(tx store.Tx) error { return tx.ForEach(func(*constancia.Issued) error { n++; return nil }) })
		if n != 8 {
			t.Fatalf("%d of 8 concurrent inserts", n)
		}
	})
	t.Run("concurrent batches", func(t *testing.T) { batches(t, newStore(t)) })
	t.Run("outbox", func(t *testing.T) { outbox(t, newStore(t)) })
	t.Run("outbox takers", func(t *testing.T) { outboxTakers(t, newStore(t)) })
}

func mail(n int, created time.Time) *store.Mail {
	return &store.Mail{MessageID: fmt.Sprintf("m%d", n), Constancia: uint64(n), To: fmt.Sprintf("p%d@example.pe", n), Created: created}
}

// outbox: mails are queued with the transaction or not at all, taken
// oldest first when due, deleted or rescheduled by what delivery says,
// never taken when dead, and never brought back by a delivery that ends
// after they were erased.
func outbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	o, ok := s.(store.Outbox)
	if !ok {
		t.Fatalf("%T has no outbox to deliver from", s)
	}
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	boom := errors.New("boom")
	s.Update(ctx, func(tx store.Tx) error { tx.AddMail(mail(99, t0)); return boom })
	var ids []uint64
	for i := range 3 {
		s.Update(ctx, func(tx store.Tx) error {
			m := mail(i, t0)
			err := tx.AddMail(m)
			ids = append(ids, m.ID)
			return err
		})
	}
	if ids[0] == 0 || ids[0] >= ids[1] || ids[1] >= ids[2] {
		t.Fatalf("mail ids %v: want increasing from 1", ids)
	}
	take := func(now time.Time, deliver func(*store.Mail) *store.Mail) *store.Mail {
		t.Helper()
		var got *store.Mail
		took, err := o.TakeMail(ctx, now, func(m *store.Mail) *store.Mail {
			if got = m; deliver == nil {
				return m // not expected: kept as it was
			}
			return deliver(m)
		})
		if err != nil || took != (got != nil) {
			t.Fatalf("TakeMail = %v, %v (delivered %+v)", took, err, got)
		}
		return got
	}
	// The oldest first; the failed transaction's mail was never queued.
	m := take(t0, func(m *store.Mail) *store.Mail {
		m.Attempts, m.Due, m.Error = 1, t0.Add(time.Minute), "deferred 451"
		return m
	})
	if m == nil || m.ID != ids[0] || m.To != "p0@example.pe" || m.MessageID != "m0" || !m.Created.Equal(t0) {
		t.Fatalf("first taken: %+v, want mail %d", m, ids[0])
	}
	// Rescheduled: the next one now, the first again only when due.
	if m := take(t0, func(*store.Mail) *store.Mail { return nil }); m == nil || m.ID != ids[1] {
		t.Fatalf("second taken: %+v, want mail %d", m, ids[1])
	}
	if m := take(t0, func(m *store.Mail) *store.Mail { m.Dead, m.Error = true, "rejected 550"; return m }); m == nil || m.ID != ids[2] {
		t.Fatalf("third taken: %+v, want mail %d", m, ids[2])
	}
	if m := take(t0.Add(59*time.Second), nil); m != nil {
		t.Fatalf("taken before it was due, or dead: %+v", m)
	}
	if m := take(t0.Add(time.Minute), func(*store.Mail) *store.Mail { return nil }); m == nil || m.ID != ids[0] || m.Attempts != 1 || m.Error != "deferred 451" {
		t.Fatalf("rescheduled mail when due: %+v", m)
	}
	if m := take(t0.Add(time.Hour), nil); m != nil {
		t.Fatalf("a dead mail taken: %+v", m)
	}
	s.View(ctx, func(tx store.Tx) error {
		var left []*store.Mail
		tx.Mails(func(m *store.Mail) error { left = append(left, m); return nil })
		if len(left) != 1 || left[0].ID != ids[2] || !left[0].Dead || left[0].Error != "rejected 550" {
			t.Errorf("outbox after delivery: %+v, want only the dead mail", left)
		}
		if _, err := tx.Mail(ids[1]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a delivered mail: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err := s.View(ctx, func(tx store.Tx) error { return tx.AddMail(mail(5, t0)) }); err == nil {
		t.Error("AddMail in a read-only transaction succeeded")
	}

	// Erased (a data-subject request) while its delivery runs: the
	// delivery's outcome does not bring it back. (PostgreSQL: the erasure
	// waits for the row lock, then deletes the rescheduled row.)
	var id uint64
	s.Update(ctx, func(tx store.Tx) error { m := mail(7, t0); err := tx.AddMail(m); id = m.ID; return err })
	erased := make(chan error, 1)
	take(t0, func(m *store.Mail) *store.Mail {
		id := m.ID
		go func() { erased <- s.Update(ctx, func(tx store.Tx) error { return tx.DeleteMail(id) }) }()
		select {
		case err := <-erased:
			erased <- err
		case <-time.After(300 * time.Millisecond): // waiting for the row lock
		}
		m.Attempts, m.Due = 1, t0.Add(time.Minute)
		return m
	})
	if err := <-erased; err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx store.Tx) error {
		if m, err := tx.Mail(id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an erased mail came back after its delivery: %+v, %v", m, err)
		}
		return nil
	})
}

// outboxTakers: eight deliverers at once over forty mails. Each is
// delivered once, never by two at a time, and a deliverer holding one
// does not keep the others from the rest.
func outboxTakers(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := s.(store.Outbox)
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	const n = 40
	s.Update(ctx, func(tx store.Tx) error {
		for i := range n {
			if err := tx.AddMail(mail(i, t0)); err != nil {
				return err
			}
		}
		return nil
	})
	var (
		mu        sync.Mutex
		delivered = map[uint64]int{}
		holding   = map[uint64]bool{}
		wg        sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for {
				took, err := o.TakeMail(ctx, t0, func(m *store.Mail) *store.Mail {
					mu.Lock()
					if holding[m.ID] {
						t.Errorf("mail %d taken by two deliverers at once", m.ID)
					}
					holding[m.ID] = true
					delivered[m.ID]++
					mu.Unlock()
					time.Sleep(5 * time.Millisecond) // the SMTP conversation
					mu.Lock()
					delete(holding, m.ID)
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				if !took {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(delivered) != n {
		t.Errorf("%d of %d mails delivered", len(delivered), n)
	}
	for id, k := range delivered {
		if k != 1 {
			t.Errorf("mail %d delivered %d times", id, k)
		}
	}
	st, err := store.CountMail(ctx, s)
	if err != nil || st.Queued != 0 {
		t.Errorf("outbox after delivery: %+v, %v", st, err)
	}
}

// batches: 48 concurrent Batch calls, each appending its number to the
// log and storing a constancia; every sixth fails after its writes. Each
// call gets its own result, whatever calls shared its transaction; a
// failed call left nothing, every other is there once, and the log's seqs
// have no gap.
func batches(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 48
	errBad := errors.New("this call fails")
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Batch(ctx, func(tx store.Tx) error {
				if _, err := tx.AppendLog(fmt.Appendf(nil, "call %d", i)); err != nil {
					return err
				}
				if err := tx.PutConstancia(sample(fmt.Sprint("BATCH", i), fmt.Sprint("b", i), 1, uint64(1000+i))); err != nil {
					return err
				}
				if i%6 == 5 {
					return fmt.Errorf("call %d: %w", i, errBad)
				}
				return nil
			})
		})
	}
	wg.Wait()
	want := map[string]bool{}
	for i, err := range errs {
		switch {
		case i%6 == 5 && !errors.Is(err, errBad):
			t.Errorf("call %d: %v, want its own error", i, err)
		case i%6 != 5 && err != nil:
			t.Errorf("call %d: %v", i, err)
		case i%6 != 5:
			want[fmt.Sprint("call ", i)] = true
		}
	}
	err := s.View(ctx, func(tx store.Tx) error {
		next := uint64(1)
		err := tx.ForEachLog(1, func(seq uint64, rec []byte) error {
			if seq != next {
				t.Errorf("log seq %d, want %d", seq, next)
			}
			next++
			if !want[string(rec)] {
				t.Errorf("log has %q: a failed call's, or twice", rec)
			}
			delete(want, string(rec))
			return nil
		})
		if len(want) > 0 {
			t.Errorf("missing from the log: %v", want)
		}
		for i := range n {
			_, err := tx.ByCode(fmt.Sprint("BATCH", i))
			if (err == nil) != (i%6 != 5) {
				t.Errorf("constancia of call %d: %v", i, err)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
