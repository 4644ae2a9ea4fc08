package manage

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strconv"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/store"
)

// The guided rotation of the signing key (docs/ADMIN.md), in four steps
// an admin takes in the console:
//
//  1. prepare: the new key, made offline with cla-keys new-signing, is
//     uploaded and held (not yet listed: nothing signs with it);
//  2. publish: a root-signed keyset lists the old key and the new one,
//     the new one with a not_before (verifiers sync it before any code
//     signed with it exists);
//  3. switch: once that not_before has passed, the issuer signs with the
//     new key;
//  4. retire: once the overlap after the switch has passed, a keyset
//     marks the old key retired (from the switch on: what it signed
//     stays valid) and its private key is deleted here.
//
// The state is derived from the keyset, the keys held and the record of
// the key in use, so it survives restarts and needs no store of its own.

// DefaultOverlap is how long the old key stays active and held after the
// switch (step 4 waits for it): a week, the verifier's soft staleness
// limit, so a problem with the new key is seen while the old one could
// still sign (Signer falls back to it if the new key cannot sign).
const DefaultOverlap = 7 * 24 * time.Hour

// Rotation steps: the step an admin takes next.
const (
	StepPrepare = 1
	StepPublish = 2
	StepSwitch  = 3
	StepRetire  = 4
)

// Errors of the rotation steps; the console explains each.
var (
	// ErrWrongStep: the action is not the rotation's next step.
	ErrWrongStep = errors.New("manage: not the rotation's next step")
	// ErrTooEarly: the step becomes possible later (Rotation.From).
	ErrTooEarly = errors.New("manage: the step is not possible yet")
	// ErrNewKeyMissing: the keyset does not list the prepared key as active.
	ErrNewKeyMissing = errors.New("manage: the keyset does not list the new key as active")
	// ErrOldKeyDropped: a keyset to publish both keys retires or
	// compromises the key in use (the one-keyset rotation).
	ErrOldKeyDropped = errors.New("manage: the keyset retires the key in use before the switch")
	// ErrOldKeyActive: the keyset of step 4 does not retire the old key.
	ErrOldKeyActive = errors.New("manage: the keyset does not retire the old key")
	// ErrRetiredTooEarly: the old key's new not_after is before something
	// it signed, which would stop verifying.
	ErrRetiredTooEarly = errors.New("manage: the old key would retire before its last signature")
)

// Rotation is where the rotation stands.
type Rotation struct {
	// Step is the next step (StepPrepare … StepRetire).
	Step int
	// From is when the next step becomes possible (zero: now).
	From time.Time
	// CurrentKid signs now; NewKid is the prepared or published key
	// (steps 2, 3); OldKid the key awaiting retirement (step 4).
	CurrentKid, NewKid, OldKid string
	// NotBefore is the new key's window start (step 3).
	NotBefore time.Time
	// RetireAt is the earliest not_after the old key may get (step 4):
	// the switch, or its last signature if later.
	RetireAt time.Time
	// Seq is the keyset in force.
	Seq uint64
}

func (m *Manager) overlap() time.Duration {
	if m.Overlap > 0 {
		return m.Overlap
	}
	return DefaultOverlap
}

// Rotation reports where the rotation stands and what comes next.
func (m *Manager) Rotation(ctx context.Context) (*Rotation, error) {
	ks, _ := m.Keys.Keyset()
	_, cur, err := m.Keys.Signer()
	if err != nil {
		return nil, err
	}
	r := &Rotation{Step: StepPrepare, CurrentKid: hexKid(cur.ID), Seq: ks.Seq}
	now := m.Now()
	if rec, ok := m.Keys.Current(); ok && rec.Previous != nil && !bytes.Equal(rec.Previous, cur.ID) {
		if old, ok := ks.Key(rec.Previous); ok && old.Status == keyset.Active {
			r.Step, r.OldKid, r.From = StepRetire, hexKid(old.ID), rec.Since.Add(m.overlap())
			last, err := m.lastSignedBy(ctx, old.ID)
			if err != nil {
				return nil, err
			}
			r.RetireAt = rec.Since.UTC().Truncate(time.Second).Add(time.Second)
			if last.After(r.RetireAt) {
				r.RetireAt = last.UTC().Truncate(time.Second).Add(time.Second)
			}
			return r, nil
		}
	}
	for _, kid := range m.Keys.HeldKids() {
		if bytes.Equal(kid, cur.ID) {
			continue
		}
		key, listed := ks.Key(kid)
		switch {
		case !listed:
			r.Step, r.NewKid = StepPublish, hexKid(kid)
		case key.Status == keyset.Active && key.NotAfter.After(now) && key.NotBefore.After(cur.NotBefore):
			r.Step, r.NewKid, r.NotBefore = StepSwitch, hexKid(kid), key.NotBefore
			if key.NotBefore.After(now) {
				r.From = key.NotBefore
			}
		default:
			continue
		}
		return r, nil
	}
	return r, nil
}

// lastSignedBy is the newest issue time of a constancia kid signed.
func (m *Manager) lastSignedBy(ctx context.Context, kid []byte) (time.Time, error) {
	var last time.Time
	err := m.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEach(func(c *constancia.Issued) error {
			if bytes.Equal(c.KeyID, kid) && c.IssuedAt.After(last) {
				last = c.IssuedAt
			}
			return nil
		})
	})
	return last, err
}

// at checks that the rotation's next step is step and that it is possible now.
func (m *Manager) at(ctx context.Context, step int) (*Rotation, error) {
	r, err := m.Rotation(ctx)
	if err != nil {
		return nil, err
	}
	if r.Step != step {
		return r, ErrWrongStep
	}
	if m.Now().Before(r.From) {
		return r, ErrTooEarly
	}
	return r, nil
}

// PrepareKey is step 1: it holds the new signing key file (made with
// cla-keys new-signing, opened with its passphrase) and records the key
// in use, so the new one will not take over by itself.
func (m *Manager) PrepareKey(ctx context.Context, a Actor, file, passphrase []byte) (string, error) {
	if _, err := m.at(ctx, StepPrepare); err != nil {
		return "", err
	}
	kid, err := m.Keys.Prepare(file, passphrase)
	if err != nil {
		return "", err
	}
	if err := m.Keys.Pin(); err != nil {
		return "", err
	}
	return hexKid(kid), m.Record(ctx, a, audit.KeyPrepare, hexKid(kid))
}

// PublishKeys is step 2: it installs a root-signed keyset that lists the
// key in use, still active, and the prepared key, active.
func (m *Manager) PublishKeys(ctx context.Context, a Actor, doc []byte) (*KeysetResult, error) {
	r, err := m.at(ctx, StepPublish)
	if err != nil {
		return nil, err
	}
	ks, err := keyset.Open(doc, []ed25519.PublicKey{m.Keys.Root()})
	if err != nil {
		return nil, err
	}
	newKey, ok := keyByHex(ks, r.NewKid)
	if !ok || newKey.Status != keyset.Active {
		return nil, ErrNewKeyMissing
	}
	if cur, ok := keyByHex(ks, r.CurrentKid); !ok || cur.Status != keyset.Active {
		return nil, ErrOldKeyDropped
	}
	res, err := m.InstallKeyset(ctx, a, doc)
	if err != nil {
		return nil, err
	}
	return res, m.Record(ctx, a, audit.KeyPublish, r.NewKid, "seq", strconv.FormatUint(res.Seq, 10),
		"not_before", newKey.NotBefore.Format(time.RFC3339))
}

// SwitchKey is step 3: from now on the issuer signs with the new key.
func (m *Manager) SwitchKey(ctx context.Context, a Actor) (string, error) {
	r, err := m.at(ctx, StepSwitch)
	if err != nil {
		return "", err
	}
	key, _ := keyByHex(m.keyset(), r.NewKid)
	if _, err := m.Keys.SwitchTo(key.ID); err != nil {
		return "", err
	}
	return r.NewKid, m.Record(ctx, a, audit.KeySwitch, r.NewKid, "old", r.CurrentKid)
}

// RetireOld is step 4: it installs a root-signed keyset that marks the
// old key retired, no earlier than its last signature, and keeps the key
// in use active; then the old private key is deleted here.
func (m *Manager) RetireOld(ctx context.Context, a Actor, doc []byte) (*KeysetResult, error) {
	r, err := m.at(ctx, StepRetire)
	if err != nil {
		return nil, err
	}
	ks, err := keyset.Open(doc, []ed25519.PublicKey{m.Keys.Root()})
	if err != nil {
		return nil, err
	}
	old, ok := keyByHex(ks, r.OldKid)
	switch {
	case !ok || old.Status == keyset.Active:
		return nil, ErrOldKeyActive
	case old.Status == keyset.Compromised:
		// A compromise is not a retirement: it is the keyset form's job.
		return nil, ErrOldKeyActive
	case old.NotAfter.Before(r.RetireAt):
		return nil, ErrRetiredTooEarly
	}
	res, err := m.InstallKeyset(ctx, a, doc)
	if err != nil {
		return nil, err
	}
	if err := m.Keys.DropSigner(old.ID); err != nil {
		return nil, err
	}
	if err := m.Keys.ForgetPrevious(); err != nil {
		return nil, err
	}
	return res, m.Record(ctx, a, audit.KeyRetire, r.OldKid, "seq", strconv.FormatUint(res.Seq, 10),
		"not_after", old.NotAfter.Format(time.RFC3339))
}

func (m *Manager) keyset() *keyset.Keyset {
	ks, _ := m.Keys.Keyset()
	return ks
}

func keyByHex(ks *keyset.Keyset, kid string) (keyset.Key, bool) {
	for _, k := range ks.Keys {
		if hexKid(k.ID) == kid {
			return k, true
		}
	}
	return keyset.Key{}, false
}
