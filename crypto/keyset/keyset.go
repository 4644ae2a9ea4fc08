package keyset

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/dcbor"
)

// ContentType is the protected content type of a keyset document.
const ContentType = "application/vnd.cla.keyset+cbor"

// Errors of reading and linking keysets.
var (
	// ErrMalformed wraps every decoding failure.
	ErrMalformed = errors.New("keyset: malformed keyset")
	// ErrUntrustedRoot: signed by a key that is not a pinned root, or the
	// signature does not verify.
	ErrUntrustedRoot = errors.New("keyset: not signed by a trusted root key")
	// ErrRollback: the seq is not higher than the one held.
	ErrRollback = errors.New("keyset: older or equal seq (rollback)")
	// ErrBrokenChain: prev_hash does not link to the keyset held, or the
	// new keyset drops or alters a key it must keep.
	ErrBrokenChain = errors.New("keyset: does not follow the keyset held")
)

// Keyset is the root-signed list of every issuer key, past and present.
type Keyset struct {
	Seq       uint64
	IssuedAt  time.Time
	ExpiresAt time.Time
	// PrevHash is the SHA-256 of the previous keyset document; nil for
	// seq 1.
	PrevHash []byte
	Keys     []Key
}

type wireKey struct {
	ID        []byte `cbor:"1,keyasint"`
	Public    []byte `cbor:"2,keyasint"`
	NotBefore uint64 `cbor:"3,keyasint"`
	NotAfter  uint64 `cbor:"4,keyasint"`
	Status    uint8  `cbor:"5,keyasint"`
}

type wireKeyset struct {
	Seq       uint64    `cbor:"1,keyasint"`
	IssuedAt  uint64    `cbor:"2,keyasint"`
	ExpiresAt uint64    `cbor:"3,keyasint"`
	PrevHash  []byte    `cbor:"4,keyasint,omitempty"`
	Keys      []wireKey `cbor:"5,keyasint"`
}

// Hash returns the SHA-256 of an encoded keyset document: the next
// keyset's PrevHash.
func Hash(doc []byte) []byte {
	sum := sha256.Sum256(doc)
	return sum[:]
}

// Key implements Lookup.
func (ks *Keyset) Key(kid []byte) (Key, bool) { return List(ks.Keys).Key(kid) }

// Sign validates ks and returns its document signed by the root key.
func (ks *Keyset) Sign(root ed25519.PrivateKey) ([]byte, error) {
	if err := ks.validate(); err != nil {
		return nil, err
	}
	w := wireKeyset{Seq: ks.Seq, IssuedAt: unix(ks.IssuedAt), ExpiresAt: unix(ks.ExpiresAt), PrevHash: ks.PrevHash}
	for _, k := range ks.Keys {
		w.Keys = append(w.Keys, wireKey{k.ID, k.Public, unix(k.NotBefore), unix(k.NotAfter), uint8(k.Status)})
	}
	payload, err := dcbor.Marshal(w)
	if err != nil {
		return nil, err
	}
	return cose.SignDocument(root, ContentType, payload)
}

// Open decodes a keyset document and verifies it against the pinned root
// public keys. It does not link it to a previous keyset: see Follows.
func Open(doc []byte, roots []ed25519.PublicKey) (*Keyset, error) {
	if len(doc) > MaxDocument {
		return nil, fmt.Errorf("%w: over %d bytes", ErrMalformed, MaxDocument)
	}
	m, err := cose.DecodeDocument(doc, ContentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var w wireKeyset
	if err := dcbor.Unmarshal(m.Payload, &w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	ks, err := fromWire(w)
	if err != nil {
		return nil, err
	}
	for _, r := range roots {
		if bytes.Equal(cose.KeyID(r), m.Protected.KeyID) {
			if m.Verify(r, nil) != nil {
				return nil, fmt.Errorf("%w: signature does not verify", ErrUntrustedRoot)
			}
			return ks, nil
		}
	}
	return nil, fmt.Errorf("%w: root kid %x is not pinned", ErrUntrustedRoot, m.Protected.KeyID)
}

func fromWire(w wireKeyset) (*Keyset, error) {
	if w.IssuedAt > maxUnix || w.ExpiresAt > maxUnix || len(w.Keys) > MaxKeys {
		return nil, fmt.Errorf("%w: value out of range", ErrMalformed)
	}
	ks := &Keyset{Seq: w.Seq, IssuedAt: fromUnix(w.IssuedAt), ExpiresAt: fromUnix(w.ExpiresAt), PrevHash: w.PrevHash}
	for _, k := range w.Keys {
		if k.NotBefore > maxUnix || k.NotAfter > maxUnix {
			return nil, fmt.Errorf("%w: key time out of range", ErrMalformed)
		}
		ks.Keys = append(ks.Keys, Key{ID: k.ID, Public: k.Public, NotBefore: fromUnix(k.NotBefore),
			NotAfter: fromUnix(k.NotAfter), Status: Status(k.Status)})
	}
	if err := ks.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return ks, nil
}

func (ks *Keyset) validate() error {
	switch {
	case ks.Seq == 0:
		return errors.New("seq 0")
	case (ks.Seq == 1) != (ks.PrevHash == nil):
		return errors.New("prev_hash must be absent for seq 1 and only then")
	case ks.PrevHash != nil && len(ks.PrevHash) != sha256.Size:
		return fmt.Errorf("prev_hash of %d bytes", len(ks.PrevHash))
	case !ks.IssuedAt.Before(ks.ExpiresAt):
		return errors.New("expires_at is not after issued_at")
	case len(ks.Keys) == 0 || len(ks.Keys) > MaxKeys:
		return fmt.Errorf("%d keys", len(ks.Keys))
	}
	seen := map[string]bool{}
	for _, k := range ks.Keys {
		if err := k.validate(); err != nil {
			return err
		}
		if seen[string(k.ID)] {
			return fmt.Errorf("kid %x listed twice", k.ID)
		}
		seen[string(k.ID)] = true
	}
	return nil
}

// Follows checks that ks may replace prev, whose encoded document is
// prevDoc: ks is the very next seq, its prev_hash is the hash of prevDoc,
// and it keeps every key of prev with the same public key and a status that
// only moves forward. A verifier that missed keysets links through each of
// them in turn (FollowsChain), so a bundle carries the whole chain.
func (ks *Keyset) Follows(prev *Keyset, prevDoc []byte) error {
	switch {
	case ks.Seq <= prev.Seq:
		return fmt.Errorf("%w: seq %d after seq %d", ErrRollback, ks.Seq, prev.Seq)
	case ks.Seq != prev.Seq+1:
		return fmt.Errorf("%w: keysets %d to %d missing", ErrBrokenChain, prev.Seq+1, ks.Seq-1)
	case !bytes.Equal(ks.PrevHash, Hash(prevDoc)):
		return fmt.Errorf("%w: prev_hash does not match keyset %d", ErrBrokenChain, prev.Seq)
	case ks.IssuedAt.Before(prev.IssuedAt):
		return fmt.Errorf("%w: issued before keyset %d", ErrBrokenChain, prev.Seq)
	}
	for _, old := range prev.Keys {
		k, ok := ks.Key(old.ID)
		switch {
		case !ok:
			return fmt.Errorf("%w: key %x dropped", ErrBrokenChain, old.ID)
		case !bytes.Equal(k.Public, old.Public):
			return fmt.Errorf("%w: key %x changed", ErrBrokenChain, old.ID)
		case k.Status < old.Status:
			return fmt.Errorf("%w: key %x went from %v back to %v", ErrBrokenChain, old.ID, old.Status, k.Status)
		}
	}
	return nil
}

// FollowsChain opens each document of docs in order and links it to the one
// before, starting from prev (nil when nothing is held yet: then the first
// document is taken on its root signature alone). Documents at or below
// prev's seq are skipped, so a bundle may carry the whole history. It
// returns the last keyset and its document.
func FollowsChain(prev *Keyset, prevDoc []byte, docs [][]byte, roots []ed25519.PublicKey) (*Keyset, []byte, error) {
	if len(docs) == 0 {
		return nil, nil, fmt.Errorf("%w: no keyset", ErrMalformed)
	}
	advanced := false
	for _, doc := range docs {
		ks, err := Open(doc, roots)
		if err != nil {
			return nil, nil, err
		}
		if prev != nil {
			if ks.Seq <= prev.Seq && !advanced {
				continue
			}
			if err := ks.Follows(prev, prevDoc); err != nil {
				return nil, nil, err
			}
		}
		prev, prevDoc, advanced = ks, doc, true
	}
	if !advanced {
		return nil, nil, fmt.Errorf("%w: nothing newer than seq %d", ErrRollback, prev.Seq)
	}
	return prev, prevDoc, nil
}

func unix(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

func fromUnix(s uint64) time.Time { return time.Unix(int64(s), 0).UTC() }
