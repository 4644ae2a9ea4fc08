package verifier

import (
	"errors"
	"fmt"
	"testing"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/verifier/trust"
)

func TestRefusalReason(t *testing.T) {
	t.Parallel()
	wrap := func(errs ...error) error {
		err := errs[len(errs)-1]
		for i := len(errs) - 2; i >= 0; i-- {
			err = fmt.Errorf("%w: %w", errs[i], err)
		}
		return err
	}
	for want, err := range map[string]error{
		RefusedRollback:         wrap(ErrRefused, trust.ErrRollback, keyset.ErrRollback),
		RefusedFork:             wrap(ErrRefused, trust.ErrFork),
		RefusedUntrustedRoot:    wrap(ErrRefused, keyset.ErrUntrustedRoot),
		RefusedBrokenChain:      wrap(ErrRefused, keyset.ErrBrokenChain),
		RefusedKeyCompromised:   wrap(ErrRefused, trust.ErrListRejected, keyset.ErrKeyCompromised),
		RefusedKeyNotValid:      wrap(ErrRefused, keyset.ErrKeyNotValid),
		RefusedUnknownKey:       wrap(ErrRefused, keyset.ErrUnknownKey),
		RefusedInvalidSignature: wrap(ErrRefused, status.ErrSignature),
		RefusedDelta:            wrap(ErrRefused, status.ErrDiverged),
		RefusedDamaged:          wrap(ErrRefused, bundle.ErrMalformed),
	} {
		if got := RefusalReason(err); got != want {
			t.Errorf("%v: %s, want %s", err, got, want)
		}
	}
	if RefusalReason(errors.New("other")) != RefusedDamaged {
		t.Error("unknown error")
	}
}
