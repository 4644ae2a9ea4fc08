package keytool

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/crypto/keyfile"
)

var testParams = keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}

// TestWriteKey: a key file is written 0600, opens with its passphrase,
// and is never written over.
func TestWriteKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "signing.key")
	pub, err := NewKey(path, keyfile.RoleSigning, []byte("frase larga"), testParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != keyfile.Perm {
		t.Errorf("mode %v, want %v", st.Mode().Perm(), os.FileMode(keyfile.Perm))
	}
	priv, f, err := keyfile.ReadFile(path, []byte("frase larga"))
	if err != nil {
		t.Fatal(err)
	}
	if !priv.Public().(ed25519.PublicKey).Equal(pub) || f.Role != keyfile.RoleSigning {
		t.Fatal("a different key was written")
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	if err := WriteKey(path, other, keyfile.RoleSigning, []byte("x"), testParams, rand.Reader); !errors.Is(err, os.ErrExist) {
		t.Fatalf("wrote over a key file: %v", err)
	}
	if again, _, _ := keyfile.ReadFile(path, []byte("frase larga")); !again.Equal(priv) {
		t.Fatal("the key file changed")
	}
}
