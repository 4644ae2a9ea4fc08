package audit

import (
	"bytes"
	"encoding/hex"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
)

// vector is the first entry of a trail, its record and hash: the example
// of docs/AUDIT.md, which another implementation can reproduce.
var vector = struct {
	entry  Entry
	record string
	hash   string
}{
	entry: Entry{Seq: 1, Prev: zeroHash, Time: time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC), Actor: "ana.quispe",
		Role: "admin", Action: Login, Details: map[string]string{"ip": "10.0.0.7"}},
	record: "11:cla-audit-1,64:" + strings.Repeat("0", 64) + ",1:1,20:2026-03-02T14:05:00Z,10:ana.quispe,5:admin,5:login,0:,1:1,2:ip,8:10.0.0.7,",
	hash:   "1186c1ee1f3385b5763e67602412f06a5f0da595c7027ae69182b81c28f61322",
}

func TestVector(t *testing.T) {
	e := vector.entry
	b := body(&e)
	if string(b) != vector.record {
		t.Fatalf("body\n got %s\nwant %s", b, vector.record)
	}
	if got := hex.EncodeToString(sum(b)); got != vector.hash {
		t.Errorf("hash %s, want %s", got, vector.hash)
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for i := range 8 {
		e, err := normalize(sample(i))
		if err != nil {
			t.Fatal(err)
		}
		e.Seq, e.Prev = uint64(i+1), bytes.Repeat([]byte{byte(i)}, 32)
		e.Hash = sum(body(&e))
		rec := encode(&e)
		got, err := Decode(rec)
		if err != nil {
			t.Fatalf("%d: %v\n%s", i, err, rec)
		}
		if got.Seq != e.Seq || !got.Time.Equal(e.Time) || got.Actor != e.Actor || got.Role != e.Role ||
			got.Action != e.Action || got.Target != e.Target || !maps.Equal(got.Details, e.Details) ||
			!bytes.Equal(got.Prev, e.Prev) || !bytes.Equal(got.Hash, e.Hash) {
			t.Errorf("%d: round trip\n got %+v\nwant %+v", i, got, e)
		}
	}
}

// TestDecodeRejects: every other spelling of a record, and every broken
// one, is refused.
func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	good := vector.record + "64:" + vector.hash + ","
	if _, err := Decode([]byte(good)); err != nil {
		t.Fatalf("the vector: %v", err)
	}
	for _, tc := range []struct{ name, from, to string }{
		{"version", "cla-audit-1", "cla-audit-2"},
		{"leading zero in a length", "5:admin", "05:admin"},
		{"plus in a length", "5:admin", "+5:admin"},
		{"leading zero in seq", "1:1,20:", "2:01,20:"},
		{"upper-case hex", "64:" + vector.hash, "64:" + strings.ToUpper(vector.hash)},
		{"offset time", "20:2026-03-02T14:05:00Z", "25:2026-03-02T14:05:00+00:00"},
		{"trailing zeros in the time", "20:2026-03-02T14:05:00Z", "24:2026-03-02T14:05:00.000Z"},
		{"no time", "20:2026-03-02T14:05:00Z", "0:"},
		{"length too long", "5:admin,", "6:admin,"},
		{"length too short", "5:admin,", "4:admin,"},
		{"field not closed", "5:admin,", "5:admin;"},
		{"bad action", "5:login", "5:LOGIN"},
		{"no actor", "10:ana.quispe", "0:"},
		{"more details than said", "1:1,2:ip", "1:0,2:ip"},
		{"detail count too high", "1:1,2:ip", "2:99,2:ip"},
		{"short prev", "64:" + strings.Repeat("0", 64), "62:" + strings.Repeat("0", 62)},
		{"not UTF-8", "10:ana.quispe", "10:ana.quisp\xff"},
		{"trailing bytes", vector.hash + ",", vector.hash + ",x"},
		{"cut", vector.hash + ",", vector.hash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			if bad == good {
				t.Fatal("the test changes nothing")
			}
			if _, err := Decode([]byte(bad)); !errors.Is(err, ErrMalformed) {
				t.Errorf("Decode(%q) = %v", bad, err)
			}
		})
	}
	twoKeys := strings.Replace(good, "1:1,2:ip,8:10.0.0.7,", "1:2,2:ip,1:a,1:a,1:b,", 1)
	if _, err := Decode([]byte(twoKeys)); !errors.Is(err, ErrMalformed) {
		t.Errorf("unsorted details: %v", err)
	}
	dup := strings.Replace(good, "1:1,2:ip,8:10.0.0.7,", "1:2,2:ip,1:a,2:ip,1:b,", 1)
	if _, err := Decode([]byte(dup)); !errors.Is(err, ErrMalformed) {
		t.Errorf("repeated detail key: %v", err)
	}
	if _, err := Decode(bytes.Repeat([]byte("x"), MaxRecord+1)); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized: %v", err)
	}
}

// FuzzDecode: the decoder never panics, and what it accepts is exactly the
// canonical encoding of what it returns.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(vector.record + "64:" + vector.hash + ","))
	for i := range 4 {
		e, _ := normalize(sample(i))
		e.Seq, e.Prev = uint64(i+7), zeroHash
		e.Hash = sum(body(&e))
		f.Add(encode(&e))
	}
	f.Add([]byte("0:,"))
	f.Add([]byte("99999:"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := Decode(rec)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if !bytes.Equal(encode(&e), rec) {
			t.Fatalf("accepted a non-canonical record %q", rec)
		}
	})
}
