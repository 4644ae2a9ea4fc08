package vectors

import (
	"bytes"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
)

func statuses() ([]Status, error) {
	good, err := jwks(signingWindow())
	if err != nil {
		return nil, err
	}
	compromised := signingWindow()
	compromised.Status = keyset.Compromised
	bad, err := jwks(compromised)
	if err != nil {
		return nil, err
	}
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	l, err := status.New(status.MinBits)
	if err != nil {
		return nil, err
	}
	revoked := []uint64{0, 7, 8, 70513, status.MinBits - 1}
	for _, i := range revoked {
		l.Set(i, true)
	}
	l.Seq, l.IssuedAt, l.NextUpdate = 41, t0, t0.Add(24*time.Hour)
	doc, err := l.Sign(signKey)
	if err != nil {
		return nil, err
	}
	next := l.Clone()
	next.Seq, next.IssuedAt, next.NextUpdate = 42, t0.Add(time.Hour), t0.Add(25*time.Hour)
	next.Set(7, false)
	next.Set(12345, true)
	d, err := status.Diff(l, next)
	if err != nil {
		return nil, err
	}
	delta, err := d.Sign(signKey)
	if err != nil {
		return nil, err
	}
	d2 := *d
	d2.FromSeq = 40
	wrongSeq, err := d2.Sign(signKey)
	if err != nil {
		return nil, err
	}
	late := l.Clone()
	late.IssuedAt, late.NextUpdate = time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 6, 2, 0, 0, 0, 0, time.UTC)
	lateDoc, err := late.Sign(signKey)
	if err != nil {
		return nil, err
	}
	foreign, err := l.Sign(otherKey)
	if err != nil {
		return nil, err
	}
	// A delta whose result does not hash to its digest.
	d3 := *d
	d3.Digest = bytes.Repeat([]byte{0xab}, 32)
	divergent, err := d3.Sign(signKey)
	if err != nil {
		return nil, err
	}
	// A delta setting an index past the end of the list.
	d4 := *d
	d4.Set = []uint64{status.MinBits + 5}
	d4.Cleared = []uint64{}
	outOfRange, err := d4.Sign(signKey)
	if err != nil {
		return nil, err
	}
	// A list of 65,536 bits, under the herd-privacy minimum.
	shortPayload, err := marshalLoose(map[int64]any{1: uint64(1), 2: uint64(t0.Unix()), 3: uint64(t0.Add(time.Hour).Unix()),
		4: zlibOf(make([]byte, status.MinBits/16))})
	if err != nil {
		return nil, err
	}
	shortList, err := cose.SignDocument(signKey, status.ContentType, shortPayload)
	if err != nil {
		return nil, err
	}
	flipped := bytes.Clone(doc)
	flipped[len(flipped)-1] ^= 1
	samples := func(l *status.List, idx ...uint64) map[string]bool {
		m := map[string]bool{}
		for _, i := range idx {
			v, _ := l.Revoked(i)
			m[fmt.Sprint(i)] = v
		}
		return m
	}
	probe := []uint64{0, 1, 7, 8, 9, 12345, 70513, status.MinBits - 1}
	e := b64.EncodeToString
	more, err := zlibStatuses(good)
	if err != nil {
		return nil, err
	}
	// Two faults at once: the first in FORMAT.md's order is reported.
	shortForeign, err := cose.SignDocument(otherKey, status.ContentType, shortPayload)
	if err != nil {
		return nil, err
	}
	shortFlipped := bytes.Clone(shortList)
	shortFlipped[len(shortFlipped)-1] ^= 1
	d5 := d4
	d5.FromSeq = 40
	wrongSeqOutOfRange, err := d5.Sign(signKey)
	if err != nil {
		return nil, err
	}
	d6 := d4
	d6.Digest = bytes.Repeat([]byte{0xcd}, 32)
	outOfRangeDiverged, err := d6.Sign(signKey)
	if err != nil {
		return nil, err
	}
	foreignWrongSeq, err := d2.Sign(otherKey)
	if err != nil {
		return nil, err
	}
	more = append(more,
		Status{Name: "two-faults-short-list-unknown-key", Description: "a list of 65,536 bits signed by a key not in the JWKS: malformed comes before every key check",
			JWKS: good, List: e(shortForeign), Expected: "malformed"},
		Status{Name: "two-faults-short-list-bad-signature", Description: "a list of 65,536 bits whose signature is altered: malformed comes before the signature",
			JWKS: good, List: e(shortFlipped), Expected: "malformed"},
		Status{Name: "two-faults-bad-signature-compromised", Description: "an altered signature under a compromised key: the signature comes before the key's status",
			JWKS: bad, List: e(flipped), Expected: "invalid_signature"},
		Status{Name: "two-faults-compromised-outside-window", Description: "a compromised key, and issued_at after its window: compromised comes before the window",
			JWKS: bad, List: e(lateDoc), Expected: "key_compromised"},
		Status{Name: "two-faults-delta-unknown-key-wrong-seq", Description: "a delta from seq 40 signed by a key not in the JWKS: the delta is opened before its seq is compared",
			JWKS: good, List: e(doc), Delta: e(foreignWrongSeq), Expected: "unknown_key"},
		Status{Name: "two-faults-delta-wrong-seq-out-of-range", Description: "a delta from seq 40 setting index 131,077: seq_mismatch comes before the index bound",
			JWKS: good, List: e(doc), Delta: e(wrongSeqOutOfRange), Expected: "seq_mismatch"},
		Status{Name: "two-faults-delta-out-of-range-diverged", Description: "a delta setting index 131,077 whose digest matches nothing: the index bound (malformed) comes before diverged",
			JWKS: good, List: e(doc), Delta: e(outOfRangeDiverged), Expected: "malformed"},
		Status{Name: "two-faults-list-compromised-delta-wrong-seq", Description: "a list under a compromised key, with a delta from the wrong seq: the list is judged first",
			JWKS: bad, List: e(doc), Delta: e(wrongSeq), Expected: "key_compromised"},
	)
	return append([]Status{
		{Name: "list", Description: "a 131,072-bit list with 5 indices revoked", JWKS: good, List: e(doc),
			Expected: "accept", Seq: 41, Count: 5, Samples: samples(l, probe...)},
		{Name: "list-plus-delta", Description: "the list moved to seq 42 by a delta: index 7 cleared, 12345 set",
			JWKS: good, List: e(doc), Delta: e(delta), Expected: "accept", Seq: 42, Count: 5, Samples: samples(next, probe...)},
		{Name: "delta-wrong-seq", Description: "a delta from seq 40 offered to a list at seq 41", JWKS: good,
			List: e(doc), Delta: e(wrongSeq), Expected: "seq_mismatch"},
		{Name: "delta-diverged", Description: "a delta whose result does not hash to its digest field", JWKS: good,
			List: e(doc), Delta: e(divergent), Expected: "diverged"},
		{Name: "delta-index-out-of-range", Description: "a delta setting index 131,077 of a 131,072-bit list", JWKS: good,
			List: e(doc), Delta: e(outOfRange), Expected: "malformed"},
		{Name: "list-too-short", Description: "a correctly signed list of 65,536 bits (minimum 131,072)", JWKS: good,
			List: e(shortList), Expected: "malformed"},
		{Name: "altered-signature", Description: "last byte of the signature flipped", JWKS: good, List: e(flipped),
			Expected: "invalid_signature"},
		{Name: "unknown-key", Description: "signed by a key not in the JWKS", JWKS: good, List: e(foreign), Expected: "unknown_key"},
		{Name: "key-compromised", Description: "signed by a key declared compromised", JWKS: bad, List: e(doc),
			Expected: "key_compromised"},
		{Name: "key-not-valid", Description: "issued in 2027, after the key's window", JWKS: good, List: e(lateDoc),
			Expected: "key_not_valid"},
		{Name: "truncated", Description: "a list document cut short", JWKS: good, List: e(doc[:len(doc)/2]), Expected: "malformed"},
	}, more...), nil
}
