package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// Line is one line of an Export: an entry with its hashes in hex and its
// time exactly as hashed. A record that does not decode is exported as
// its seq, the error and its raw bytes in hex, so that nothing in the log
// is hidden from the auditor.
type Line struct {
	Seq     uint64            `json:"seq"`
	Time    string            `json:"time,omitempty"`
	Actor   string            `json:"actor,omitempty"`
	Role    string            `json:"role,omitempty"`
	Action  string            `json:"action,omitempty"`
	Target  string            `json:"target,omitempty"`
	Details map[string]string `json:"details,omitempty"`
	Prev    string            `json:"prev,omitempty"`
	Hash    string            `json:"hash,omitempty"`
	Error   string            `json:"error,omitempty"`
	Record  string            `json:"record,omitempty"`
}

// Export writes the whole trail to w as JSON Lines, one entry a line, in
// seq order. A missing string field is "", missing details are none.
func Export(ctx context.Context, s store.Store, w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // the auditor reads "<", not "\u003c"
	return walk(ctx, s, func(seq uint64, rec []byte) error {
		return enc.Encode(lineOf(seq, rec))
	}, func(store.Tx) error { return nil })
}

func lineOf(seq uint64, rec []byte) Line {
	e, err := Decode(rec)
	if err != nil {
		return Line{Seq: seq, Error: err.Error(), Record: hex.EncodeToString(rec)}
	}
	return Line{Seq: e.Seq, Time: e.Time.Format(time.RFC3339Nano), Actor: e.Actor, Role: e.Role,
		Action: string(e.Action), Target: e.Target, Details: e.Details,
		Prev: hex.EncodeToString(e.Prev), Hash: hex.EncodeToString(e.Hash)}
}
