package verifier

import (
	"errors"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/verifier/trust"
)

// Why trust data (a bundle, or the list of a sync) was refused, as a code
// the UIs turn into words ("import.reason." + code in the catalogues).
const (
	RefusedUntrustedRoot    = "untrusted_root"
	RefusedDamaged          = "damaged"
	RefusedRollback         = "rollback"
	RefusedFork             = "fork"
	RefusedBrokenChain      = "broken_chain"
	RefusedKeyCompromised   = "key_compromised"
	RefusedKeyNotValid      = "key_not_valid"
	RefusedUnknownKey       = "unknown_key"
	RefusedInvalidSignature = "invalid_signature"
	RefusedDelta            = "delta"
)

// RefusalReason returns why err (from Import, or the list part of a
// trust.ErrListRejected) refused trust data. Anything it does not know is
// RefusedDamaged.
func RefusalReason(err error) string {
	for _, r := range []struct {
		err  error
		code string
	}{
		{trust.ErrRollback, RefusedRollback}, {trust.ErrFork, RefusedFork},
		{keyset.ErrUntrustedRoot, RefusedUntrustedRoot}, {keyset.ErrBrokenChain, RefusedBrokenChain},
		{keyset.ErrRollback, RefusedRollback}, {status.ErrSeq, RefusedDelta}, {status.ErrDiverged, RefusedDelta},
		{keyset.ErrKeyCompromised, RefusedKeyCompromised}, {keyset.ErrKeyNotValid, RefusedKeyNotValid},
		{keyset.ErrUnknownKey, RefusedUnknownKey}, {status.ErrSignature, RefusedInvalidSignature},
	} {
		if errors.Is(err, r.err) {
			return r.code
		}
	}
	return RefusedDamaged
}

// RefusalReasons lists every code RefusalReason returns.
var RefusalReasons = []string{RefusedUntrustedRoot, RefusedDamaged, RefusedRollback, RefusedFork, RefusedBrokenChain,
	RefusedKeyCompromised, RefusedKeyNotValid, RefusedUnknownKey, RefusedInvalidSignature, RefusedDelta}
