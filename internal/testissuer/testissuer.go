// Package testissuer is a small in-memory issuer for verifier tests: it
// holds a root key and signing keys, publishes keysets, status lists and
// deltas, seals codes and revokes them, with a settable clock. It uses the
// real formats (crypto/*), so verifiers meet exactly what the issuer makes.
package testissuer

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/internal/sample"
)

// Issuer is a test issuer. Not safe for concurrent use.
type Issuer struct {
	Now       time.Time
	Root      ed25519.PrivateKey
	Signer    ed25519.PrivateKey
	Keysets   [][]byte
	keyset    *keyset.Keyset
	list      *status.List // the working list; published is the last one signed
	published *status.List
	// Lists are every status list document published, by seq.
	Lists map[uint64][]byte
	// Deltas are delta documents by from_seq (each to from_seq+1).
	Deltas map[uint64][]byte
	// history holds every published list, by seq, to serve deltas.
	history map[uint64]*status.List
	next    uint64 // next status index
	counter int
}

// New returns an issuer whose clock starts at now, with keyset 1 holding
// one signing key valid for two years, and an empty status list (seq 1).
func New(name string, now time.Time) *Issuer {
	is := &Issuer{Now: now.UTC().Truncate(time.Second), Root: sample.Key(name + " root"),
		Signer: sample.Key(name + " signing 1"), Lists: map[uint64][]byte{}, Deltas: map[uint64][]byte{}, history: map[uint64]*status.List{}, next: 1000}
	ks := &keyset.Keyset{Seq: 1, IssuedAt: is.Now, ExpiresAt: is.Now.AddDate(5, 0, 0),
		Keys: []keyset.Key{keyset.NewKey(pub(is.Signer), is.Now.Add(-time.Hour), is.Now.AddDate(2, 0, 0))}}
	is.publishKeyset(ks)
	is.list, _ = status.New(status.MinBits)
	is.list.Seq = 0
	is.PublishList()
	return is
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// RootPublic returns the root public key verifiers pin.
func (is *Issuer) RootPublic() ed25519.PublicKey { return pub(is.Root) }

// Keyset returns the newest keyset.
func (is *Issuer) Keyset() *keyset.Keyset { return is.keyset }

func (is *Issuer) publishKeyset(ks *keyset.Keyset) {
	doc, err := ks.Sign(is.Root)
	if err != nil {
		panic(err)
	}
	is.keyset, is.Keysets = ks, append(is.Keysets, doc)
}

// PublishList publishes the next status list (seq + 1) with the current
// revocations, and the delta from the previous one.
func (is *Issuer) PublishList() []byte {
	prev := is.published
	is.list.Seq++
	is.list.IssuedAt, is.list.NextUpdate = is.Now, is.Now.Add(24*time.Hour)
	doc, err := is.list.Sign(is.Signer)
	if err != nil {
		panic(err)
	}
	is.Lists[is.list.Seq] = doc
	is.published = is.list.Clone()
	is.history[is.list.Seq] = is.published
	if prev != nil {
		d, err := status.Diff(prev, is.list)
		if err != nil {
			panic(err)
		}
		if is.Deltas[prev.Seq], err = d.Sign(is.Signer); err != nil {
			panic(err)
		}
	}
	return doc
}

// ListBits returns the bitstring of the newest published list.
func (is *Issuer) ListBits() []byte { return is.published.Bits() }

// ListSeq returns the seq of the newest list.
func (is *Issuer) ListSeq() uint64 { return is.list.Seq }

// Code is an issued constancia.
type Code struct {
	Text   string
	Claims *credential.Claims
	Record []byte
}

// Issue seals a constancia for a sample student with years school years.
func (is *Issuer) Issue(years int) Code {
	is.counter++
	r := sample.Record(sample.ShortStudent(), years)
	if is.counter%2 == 0 {
		r = sample.Record(sample.Student(), years)
	}
	code, _ := vcode.New(counterReader(is.counter))
	r.IssuedAt, r.Code, r.StatusIndex = is.Now, code, is.next
	is.next++
	doc, err := credential.SealRecord(is.Signer, r)
	if err != nil {
		panic(err)
	}
	c := sample.Claims(r, doc)
	text, err := credential.Seal(is.Signer, c)
	if err != nil {
		panic(err)
	}
	return Code{Text: text, Claims: c, Record: doc}
}

// Revoke marks a code revoked and publishes the next list.
func (is *Issuer) Revoke(c Code) {
	if err := is.list.Set(c.Claims.StatusIndex, true); err != nil {
		panic(err)
	}
	is.PublishList()
}

// Rotate adds a new signing key and retires the current one now.
func (is *Issuer) Rotate() {
	next := is.keyset.Next(is.Keysets[len(is.Keysets)-1], is.Now, 5*365*24*time.Hour)
	old := is.Signer
	is.Signer = sample.Key(fmt.Sprintf("%x rotated %d", pub(old)[:4], len(is.Keysets)))
	if err := next.Add(keyset.NewKey(pub(is.Signer), is.Now, is.Now.AddDate(2, 0, 0))); err != nil {
		panic(err)
	}
	if err := next.Retire(cose.KeyID(pub(old)), is.Now); err != nil {
		panic(err)
	}
	is.publishKeyset(next)
}

// Bundle returns a bundle of everything published.
func (is *Issuer) Bundle() []byte {
	b, err := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets, List: is.Lists[is.list.Seq]}).Marshal()
	if err != nil {
		panic(err)
	}
	return b
}

// counterReader yields deterministic bytes from a counter.
type counterReader int

func (c counterReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(int(c)*31 + i*7)
	}
	return len(p), nil
}
