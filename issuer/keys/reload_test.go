package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/issuer/keytool"
)

// TestReloadSharedFolder: two replicas on one key folder. A rotation taken
// through replica A — keyset 2 listing a new key, the key prepared, the
// switch — reaches replica B at its next Reload: B serves keyset 2 and
// signs with the new key. Nothing changed: no reload. A keyset file
// removed (a rollback) is refused and B keeps its keys.
func TestReloadSharedFolder(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	o := Options{Dir: dir, Dev: true, Now: func() time.Time { return now }, Rand: rand.Reader, KDF: cheap}
	a, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := b.Reload(); changed || err != nil {
		t.Fatalf("reload with nothing changed: %v %v", changed, err)
	}
	_, oldKey, _ := b.Signer()

	// A's rotation: a new key listed in keyset 2, prepared, switched to.
	key2 := addListedKey(t, dir, a, now)
	if _, err := a.SwitchTo(key2.ID); err != nil {
		t.Fatal(err)
	}

	if ks, _ := b.Keyset(); ks.Seq != 1 {
		t.Fatal("B changed before reloading")
	}
	if changed, err := b.Reload(); !changed || err != nil {
		t.Fatalf("B's reload after A's rotation: %v %v", changed, err)
	}
	if ks, _ := b.Keyset(); ks.Seq != 2 {
		t.Errorf("B serves keyset %d after the reload, want 2", ks.Seq)
	}
	if _, key, err := b.Signer(); err != nil || !bytes.Equal(key.ID, key2.ID) || bytes.Equal(key.ID, oldKey.ID) {
		t.Errorf("B signs with %x (%v), want the new key %x", key.ID, err, key2.ID)
	}

	// A rollback (keyset 2 removed) and a rewrite are refused.
	path2 := filepath.Join(dir, KeysetFile(2))
	os.Rename(path2, path2+".away")
	if changed, err := b.Reload(); changed || err == nil {
		t.Errorf("a keyset removed: reload %v %v, want a refusal", changed, err)
	}
	os.Rename(path2+".away", path2)
	if ks, _ := b.Keyset(); ks.Seq != 2 {
		t.Errorf("after a refused reload B serves keyset %d", ks.Seq)
	}
}

// addListedKey publishes keyset 2 listing a new signing key, through k,
// and gives k that key (prepared, not yet switched to).
func addListedKey(t *testing.T, dir string, k *Keys, now time.Time) keyset.Key {
	t.Helper()
	pass, _ := os.ReadFile(filepath.Join(dir, "dev-passphrase"))
	root, _, err := keyfile.ReadFile(filepath.Join(dir, "root.key"), pass)
	if err != nil {
		t.Fatal(err)
	}
	newFile := filepath.Join(t.TempDir(), "signing-2.key")
	pub2, err := keytool.NewKey(newFile, keyfile.RoleSigning, []byte("ceremony"), cheap, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ksFile := filepath.Join(t.TempDir(), "keyset-2.cose")
	_, err = keytool.BuildKeyset(keytool.KeysetOptions{Root: root, Prev: filepath.Join(dir, KeysetFile(1)),
		Add: []ed25519.PublicKey{pub2}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		Validity: 365 * 24 * time.Hour, Now: now, Out: ksFile})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile(ksFile)
	if _, err := k.AddKeyset(doc); err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(newFile)
	key2, err := k.AddSigner(file, []byte("ceremony"))
	if err != nil {
		t.Fatal(err)
	}
	return key2
}

// TestReloadKeepsOwnSwitch: a replica's periodic Reload runs while the
// same process switches keys (the console's rotation). A Reload that read
// the folder just before a switch was written must not put the older
// record back: after SwitchTo returns, the key in use is the one switched
// to, whatever Reload does meanwhile. (CI caught the old Reload doing so:
// TestBrowserKeyRotation saw its step 3 again.)
func TestReloadKeepsOwnSwitch(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	k, err := Open(Options{Dir: dir, Dev: true, Now: func() time.Time { return now }, Rand: rand.Reader, KDF: cheap})
	if err != nil {
		t.Fatal(err)
	}
	_, key1, err := k.Signer()
	if err != nil {
		t.Fatal(err)
	}
	key2 := addListedKey(t, dir, k, now)
	stop := make(chan struct{})
	reloads := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				reloads <- n
				return
			default:
			}
			if _, err := k.Reload(); err != nil {
				t.Error(err)
			}
			n++
		}
	}()
	reverted := 0
	for i := range 300 {
		want := [][]byte{key2.ID, key1.ID}[i%2]
		if _, err := k.SwitchTo(want); err != nil {
			t.Fatal(err)
		}
		for range 20 { // while Reload goes on
			if c, ok := k.Current(); !ok || !bytes.Equal(c.Kid, want) {
				reverted++
				break
			}
			time.Sleep(20 * time.Microsecond)
		}
	}
	close(stop)
	n := <-reloads
	if reverted > 0 {
		t.Errorf("%d of 300 switches were undone by a concurrent Reload (%d reloads)", reverted, n)
	}
	t.Logf("300 switches, %d reloads beside them", n)
}
