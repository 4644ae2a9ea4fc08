package manage

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/keytool"
)

// TestGuidedRotation takes the four steps of docs/ADMIN.md in order, and
// tries each one out of turn or too early, and the keysets that would
// break a rotation: the one-keyset recipe (add and retire at once), a
// keyset without the new key, a retirement before the old key's last
// signature. The old and the new constancia verify at the end, online
// and offline, and the state survives a restart.
func TestGuidedRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.issue(t, 0, false)
	_, key1, _ := f.m.Keys.Signer()
	step := func(want int) *Rotation {
		t.Helper()
		r, err := f.m.Rotation(ctx)
		if err != nil || r.Step != want {
			t.Fatalf("rotation %+v %v, want step %d", r, err, want)
		}
		return r
	}
	step(StepPrepare)
	if _, err := f.m.SwitchKey(ctx, admin); !errors.Is(err, ErrWrongStep) {
		t.Fatalf("switch before anything: %v", err)
	}

	// 1. Prepare: the key made offline, uploaded with its passphrase.
	path := filepath.Join(f.tmp, "signing-2027.key")
	pub2, err := keytool.NewKey(path, keyfile.RoleSigning, []byte("ceremony passphrase 2"), cheap, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(path)
	if _, err := f.m.PrepareKey(ctx, admin, file, []byte("wrong")); !errors.Is(err, keyfile.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	devKey, _ := filepath.Glob(filepath.Join(f.keyDir, "signing-*.key"))
	if dev, _ := os.ReadFile(devKey[0]); dev != nil {
		if _, err := f.m.PrepareKey(ctx, admin, dev, devPass); !errors.Is(err, keys.ErrListed) {
			t.Fatalf("the key in use offered as the new one: %v", err)
		}
	}
	kid2, err := f.m.PrepareKey(ctx, admin, file, []byte("ceremony passphrase 2"))
	if err != nil {
		t.Fatal(err)
	}
	r := step(StepPublish)
	if r.NewKid != kid2 {
		t.Fatalf("new kid %s, want %s", r.NewKid, kid2)
	}

	// 2. Publish: the one-keyset recipe (add the new, retire the old) is
	// refused with its own error; so is a keyset without the new key.
	notBefore := f.clock.now().Add(7 * 24 * time.Hour)
	add := keytool.KeysetOptions{Add: []ed25519.PublicKey{pub2}, NotBefore: notBefore, NotAfter: notBefore.AddDate(1, 0, 0)}
	oneShot := add
	oneShot.Retire, oneShot.RetireAt = [][]byte{key1.ID}, notBefore
	if _, err := f.m.PublishKeys(ctx, admin, f.ceremony(t, oneShot)); !errors.Is(err, ErrOldKeyDropped) {
		t.Fatalf("one-keyset rotation: %v", err)
	}
	if _, err := f.m.PublishKeys(ctx, admin, f.ceremony(t, keytool.KeysetOptions{})); !errors.Is(err, ErrNewKeyMissing) {
		t.Fatalf("keyset without the new key: %v", err)
	}
	if _, err := f.m.PublishKeys(ctx, admin, f.ceremony(t, add)); err != nil {
		t.Fatal(err)
	}
	r = step(StepSwitch)
	if !r.From.Equal(notBefore.UTC().Truncate(time.Second)) {
		t.Fatalf("switch possible from %v, want %v", r.From, notBefore)
	}
	if _, err := f.m.SwitchKey(ctx, admin); !errors.Is(err, ErrTooEarly) {
		t.Fatalf("switch before not_before: %v", err)
	}

	// Its window open, the new key does not take over by itself.
	f.clock.add(8 * 24 * time.Hour)
	if _, cur, _ := f.m.Keys.Signer(); !bytes.Equal(cur.ID, key1.ID) {
		t.Fatal("the new key took over without the switch")
	}
	before := f.issue(t, 2, false)

	// 3. Switch.
	if _, err := f.m.SwitchKey(ctx, admin); err != nil {
		t.Fatal(err)
	}
	second := f.issue(t, 8, false)
	if second.Code == before.Code || hexKid(second.KeyID) != kid2 || !bytes.Equal(before.KeyID, key1.ID) {
		t.Fatalf("signed by %x after the switch, %x before", second.KeyID, before.KeyID)
	}
	r = step(StepRetire)
	if _, err := f.m.RetireOld(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Retire: [][]byte{key1.ID}, RetireAt: f.clock.now()})); !errors.Is(err, ErrTooEarly) {
		t.Fatalf("retire within the overlap: %v", err)
	}

	// A restart keeps the new key in use and the rotation at step 4.
	k, err := keys.Open(keys.Options{Dir: f.keyDir, Dev: true, Passphrase: devPass, Now: f.clock.now, Rand: rand.Reader, KDF: cheap})
	if err != nil {
		t.Fatal(err)
	}
	if _, cur, _ := k.Signer(); hexKid(cur.ID) != kid2 {
		t.Fatal("after a restart the issuer signs with the old key")
	}

	// 4. Retire, after the overlap; not before the old key's last
	// signature (before was signed 8 days after the start).
	f.clock.add(DefaultOverlap)
	if _, err := f.m.RetireOld(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Retire: [][]byte{key1.ID}, RetireAt: before.IssuedAt.Add(-time.Hour)})); !errors.Is(err, ErrRetiredTooEarly) {
		t.Fatalf("retire before the last signature: %v", err)
	}
	if _, err := f.m.RetireOld(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Retire: [][]byte{key1.ID}, RetireAt: r.RetireAt})); err != nil {
		t.Fatal(err)
	}
	if f.m.Keys.Held(key1.ID) {
		t.Fatal("the retired key is still held")
	}
	step(StepPrepare)
	f.clock.add(time.Minute)
	for _, c := range [][2]string{{first.Code, first.QRText}, {before.Code, before.QRText}, {second.Code, second.QRText}} {
		if st := f.lookup(t, c[0]); st != credential.Valid {
			t.Errorf("%s online: %s", c[0], st)
		}
		if st := f.offline(t, c[1]); st != credential.Valid {
			t.Errorf("%s offline: %s", c[0], st)
		}
	}
}
