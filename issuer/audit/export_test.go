package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestExportParsesBack: every line decodes to the entry stored, and an
// auditor following docs/AUDIT.md alone (auditorHash, written from the
// document, not from record.go) recomputes every hash and link.
func TestExportParsesBack(t *testing.T) {
	t.Parallel()
	s, _ := tempBolt(t)
	want := fill(t, s, 12)
	var buf bytes.Buffer
	if err := Export(context.Background(), s, &buf); err != nil {
		t.Fatal(err)
	}
	lines := parseLines(t, &buf)
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	prev := strings.Repeat("0", 64)
	for i, l := range lines {
		e := want[i]
		tm, err := time.Parse(time.RFC3339Nano, l.Time)
		if err != nil || l.Seq != e.Seq || !tm.Equal(e.Time) || l.Actor != e.Actor || l.Role != e.Role ||
			l.Action != string(e.Action) || l.Target != e.Target || !maps.Equal(l.Details, e.Details) ||
			l.Hash != hex.EncodeToString(e.Hash) {
			t.Errorf("line %d = %+v, entry %+v", i, l, e)
		}
		if l.Prev != prev {
			t.Errorf("line %d: prev %s, want %s", i, l.Prev, prev)
		}
		if h := auditorHash(l); h != l.Hash {
			t.Errorf("line %d: the auditor's hash %s, the export's %s", i, h, l.Hash)
		}
		prev = l.Hash
	}
}

// auditorHash is docs/AUDIT.md's recipe: netstrings of the fields, SHA-256.
func auditorHash(l Line) string {
	ns := func(s string) string { return fmt.Sprintf("%d:%s,", len(s), s) }
	var b strings.Builder
	for _, f := range []string{"cla-audit-1", l.Prev, fmt.Sprint(l.Seq), l.Time, l.Actor, l.Role, l.Action, l.Target,
		fmt.Sprint(len(l.Details))} {
		b.WriteString(ns(f))
	}
	for _, k := range slices.Sorted(maps.Keys(l.Details)) {
		b.WriteString(ns(k) + ns(l.Details[k]))
	}
	h := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(h[:])
}

func parseLines(t *testing.T, buf *bytes.Buffer) []Line {
	t.Helper()
	var out []Line
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var l Line
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("%s: %v", sc.Bytes(), err)
		}
		out = append(out, l)
	}
	return out
}

// TestExportDamaged: a record that does not decode is exported with its
// raw bytes, not skipped.
func TestExportDamaged(t *testing.T) {
	t.Parallel()
	path := bolted(t, 3)
	editBolt(t, path, func(log *bolt.Bucket) { log.Put(key(2), []byte("garbage <b>")) })
	s := openBolt(t, path)
	defer s.Close()
	var buf bytes.Buffer
	if err := Export(context.Background(), s, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<b>") && !strings.Contains(buf.String(), hex.EncodeToString([]byte("garbage <b>"))) {
		t.Errorf("the damaged record is not in the export:\n%s", buf.String())
	}
	lines := parseLines(t, &buf)
	if len(lines) != 3 || lines[1].Seq != 2 || lines[1].Error == "" || lines[1].Record != hex.EncodeToString([]byte("garbage <b>")) {
		t.Errorf("lines %+v", lines)
	}
}
