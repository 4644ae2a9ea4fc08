package credential

import (
	"errors"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// Status is a verification outcome, spelled as in docs/DESIGN.md, the JSON of
// cla-verify and the test vectors. The engine, the CLI and the app share it.
type Status string

// Statuses. Open can yield the first six; the verifier engine adds the
// rest from the status list, the trust store and the issuer.
const (
	Valid            Status = "valid"
	InvalidSignature Status = "invalid_signature"
	UnknownKey       Status = "unknown_key"
	KeyCompromised   Status = "key_compromised"
	KeyNotValid      Status = "key_not_valid"
	Malformed        Status = "malformed"
	Revoked          Status = "revoked"
	Stale            Status = "stale"
	NotFound         Status = "not_found"
)

// StatusOf maps an error from Open or OpenRecord to its status; nil is
// Valid. An error it does not know is reported as Malformed.
func StatusOf(err error) Status {
	switch {
	case err == nil:
		return Valid
	case errors.Is(err, cose.ErrSignature):
		return InvalidSignature
	case errors.Is(err, keyset.ErrUnknownKey):
		return UnknownKey
	case errors.Is(err, keyset.ErrKeyCompromised):
		return KeyCompromised
	case errors.Is(err, keyset.ErrKeyNotValid):
		return KeyNotValid
	}
	return Malformed
}

// verifyKey finds the key m names, checks the signature, then whether the
// key could sign at iat. The signature comes first: a forged document is
// invalid_signature even under a compromised key.
func verifyKey(m *cose.Sign1, keys keyset.Lookup, iat time.Time) (keyset.Key, error) {
	k, ok := keys.Key(m.Protected.KeyID)
	if !ok {
		return keyset.Key{}, keyset.ErrUnknownKey
	}
	if err := m.Verify(k.Public, nil); err != nil {
		return k, err
	}
	return k, k.CheckSignedAt(iat)
}
