package keys

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/issuer/keytool"
)

// makeDev makes development keys in o.Dir: a root key (kept here, which a
// production issuer never does), a signing key valid for two years, keyset
// 1, root.pub, and — without a given passphrase — a random one saved as
// dev-passphrase (0600). It returns the passphrase.
func makeDev(o Options) ([]byte, error) {
	pass := o.Passphrase
	if pass == nil {
		raw := make([]byte, 16)
		if _, err := io.ReadFull(o.Rand, raw); err != nil {
			return nil, err
		}
		pass = []byte(hex.EncodeToString(raw))
		if err := atomicfile.WriteFile(filepath.Join(o.Dir, "dev-passphrase"), pass, 0o600); err != nil {
			return nil, err
		}
	}
	rootPub, root, err := ed25519.GenerateKey(o.Rand)
	if err != nil {
		return nil, err
	}
	signPub, sign, err := ed25519.GenerateKey(o.Rand)
	if err != nil {
		return nil, err
	}
	if err := keytool.WriteKey(filepath.Join(o.Dir, "root.key"), root, keyfile.RoleRoot, pass, o.KDF, o.Rand); err != nil {
		return nil, err
	}
	kid := hex.EncodeToString(keyset.NewKey(signPub, time.Unix(0, 0), time.Unix(1, 0)).ID)
	if err := keytool.WriteKey(filepath.Join(o.Dir, "signing-"+kid+".key"), sign, keyfile.RoleSigning, pass, o.KDF, o.Rand); err != nil {
		return nil, err
	}
	now := o.Now().UTC().Truncate(time.Second)
	ks := &keyset.Keyset{Seq: 1, IssuedAt: now, ExpiresAt: now.AddDate(2, 0, 0),
		Keys: []keyset.Key{keyset.NewKey(signPub, now.Add(-time.Hour), now.AddDate(2, 0, 0))}}
	doc, err := ks.Sign(root)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(o.Dir, KeysetFile(1)), doc, 0o644); err != nil {
		return nil, err
	}
	return pass, atomicfile.WriteFile(filepath.Join(o.Dir, "root.pub"), []byte(base64.RawURLEncoding.EncodeToString(rootPub)+"\n"), 0o644)
}

// KeysetFile names the file of keyset seq.
func KeysetFile(seq uint64) string { return fmt.Sprintf("keyset-%06d.cose", seq) }
