package vectors

import (
	"crypto/ed25519"

	"github.com/minedu-cla/cla/crypto/keyset"
)

// Fingerprint is one root-key fingerprint case (keyset.Fingerprint):
// Expected is "accept" (then Fingerprint is what people compare) or
// "reject" for a value that is not an Ed25519 public key.
type Fingerprint struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Key is the raw public key, base64url.
	Key         string `json:"key"`
	Expected    string `json:"expected"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

func fingerprints() []Fingerprint {
	f := func(name, desc string, key []byte) Fingerprint {
		v := Fingerprint{Name: name, Description: desc, Key: b64.EncodeToString(key), Expected: "reject"}
		if fp := keyset.Fingerprint(ed25519.PublicKey(key)); fp != "" {
			v.Expected, v.Fingerprint = "accept", fp
		}
		return v
	}
	ones := make([]byte, 32)
	for i := range ones {
		ones[i] = 1
	}
	return []Fingerprint{
		f("zero-key", "the key of 32 zero bytes, FORMAT.md's example", make([]byte, 32)),
		f("ones-key", "the key of 32 bytes 0x01 (the release build in cla-verify's tests)", ones),
		f("vectors-root", "the root key that signs the keyset vectors", pub(rootKey)),
		f("short-key", "31 bytes: not an Ed25519 public key, no fingerprint", make([]byte, 31)),
	}
}
