package issuance

import (
	"context"
	"errors"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Lookup finds a constancia by the virtual code a person typed, and says
// where it stands. The typed code is normalised first; a typo caught by
// the check symbol is vcode.ErrCheck, before any lookup.
func (s *Service) Lookup(ctx context.Context, typed string) (*constancia.Issued, credential.Status, error) {
	code, err := vcode.Normalize(typed)
	if err != nil {
		return nil, "", err
	}
	var c *constancia.Issued
	err = store.ViewOne(ctx, s.Store, func(tx store.Tx) error {
		var err error
		c, err = tx.ByCode(code)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, credential.NotFound, nil
	case err != nil:
		return nil, "", err
	}
	return c, s.statusOf(c), nil
}

// statusOf says where a stored constancia stands, as a verifier would.
// The key is judged before the revocation state, in the verifiers' order:
// a constancia signed by a compromised key reads key_compromised even
// after it was reissued (and so superseded).
func (s *Service) statusOf(c *constancia.Issued) credential.Status {
	if c.State == constancia.Cancelled {
		return credential.NotFound
	}
	ks, _ := s.Keys.Keyset()
	k, ok := ks.Key(c.KeyID)
	switch {
	case !ok:
		return credential.UnknownKey
	case k.Status == keyset.Compromised:
		return credential.KeyCompromised
	case c.State == constancia.Revoked, c.State == constancia.Superseded:
		return credential.Revoked
	}
	return credential.Valid
}
