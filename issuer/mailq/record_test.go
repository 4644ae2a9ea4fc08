package mailq

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func testRecord() *record {
	return &record{
		ID:       testID,
		Enqueued: time.Date(2026, 3, 1, 14, 30, 0, 123456789, time.UTC),
		From:     "constancias@minedu.gob.pe",
		To:       []string{"juan.perez@example.pe", "tutor@example.pe"},
		Msg:      []byte("Subject: hola\r\n\r\ncuerpo\r\n"),
	}
}

func TestRecordRoundTrip(t *testing.T) {
	t.Parallel()
	r := testRecord()
	data := r.encode()
	got, err := decodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != r.ID || !got.Enqueued.Equal(r.Enqueued) || got.From != r.From ||
		strings.Join(got.To, ",") != strings.Join(r.To, ",") || !bytes.Equal(got.Msg, r.Msg) {
		t.Errorf("round trip: got %+v, want %+v", got, r)
	}
	if !bytes.Equal(got.encode(), data) {
		t.Error("re-encoding differs")
	}
}

func TestRecordDecodeRejects(t *testing.T) {
	t.Parallel()
	good := string(testRecord().encode())
	swap := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	at := strings.Index(good, "sha256: ") + len("sha256: ")
	digest := good[at : at+64]
	tests := []struct{ name, data string }{
		{"empty", ""},
		{"no magic", strings.TrimPrefix(good, recordMagic)},
		{"other version", swap("CLA-MAIL 1", "CLA-MAIL 2")},
		{"truncated message", good[:len(good)-1]},
		{"trailing bytes", good + "x"},
		{"flipped message byte", swap("cuerpo", "cuerpa")},
		{"truncated header", good[:40]},
		{"bad id", swap("id: 2026", "id: ../.")},
		{"fields out of order", swap("id: "+testID+"\nenqueued: 2026-03-01T14:30:00.123456789Z\n", "enqueued: 2026-03-01T14:30:00.123456789Z\nid: "+testID+"\n")},
		{"repeated field", swap("from: ", "from: a@example.pe\nfrom: ")},
		{"unknown field", swap("size: ", "x-extra: 1\nsize: ")},
		{"no recipient", swap("to: juan.perez@example.pe\nto: tutor@example.pe\n", "")},
		{"CR in address", swap("to: tutor@example.pe", "to: tutor@example.pe\r")},
		{"address with space", swap("to: tutor@example.pe", "to: tu tor@example.pe")},
		{"non-canonical size", swap("size: ", "size: 0")},
		{"negative size", swap("size: ", "size: -")},
		{"uppercase digest", swap(digest, strings.ToUpper(digest))},
		{"local time", swap("14:30:00.123456789Z", "14:30:00.123456789-05:00")},
		{"short fraction", swap("14:30:00.123456789Z", "14:30:00.123Z")},
		{"space before colon", swap("size: ", "size : ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.data == good {
				t.Fatal("test case did not change the record")
			}
			if _, err := decodeRecord([]byte(tt.data)); !errors.Is(err, ErrCorruptRecord) {
				t.Errorf("err = %v, want ErrCorruptRecord", err)
			}
		})
	}
}

func TestRecordTooManyRecipients(t *testing.T) {
	t.Parallel()
	r := testRecord()
	r.To = nil
	for range MaxRecipients + 1 {
		r.To = append(r.To, "a@example.pe")
	}
	if _, err := decodeRecord(r.encode()); !errors.Is(err, ErrCorruptRecord) {
		t.Errorf("err = %v", err)
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	id, err := newID(t0, &seqRand{})
	if err != nil {
		t.Fatal(err)
	}
	if id != "20260301T143000.123456789Z-010203040506" || !validID(id) {
		t.Errorf("newID = %q (valid %v)", id, validID(id))
	}
	for _, bad := range []string{"", "x", id + "0", id[:len(id)-1] + "G", strings.Replace(id, "T", "t", 1),
		"20261301T143000.123456789Z-010203040506", "../../../../../etc/passwd-0102030405"} {
		if validID(bad) {
			t.Errorf("validID(%q) = true", bad)
		}
	}
}
