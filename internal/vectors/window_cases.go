package vectors

import (
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
)

// windowCredentials: a key whose window closes before it opens never signs,
// and does not stop the other keys of its JWKS from working.
func windowCredentials(short *sealed) ([]Credential, error) {
	never := keyset.NewKey(pub(otherKey), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), windowStart)
	beside, err := jwks(signingWindow(), never)
	if err != nil {
		return nil, err
	}
	alone := signingWindow()
	alone.NotAfter = alone.NotBefore.Add(-time.Second)
	aloneJWKS, err := jwks(alone)
	if err != nil {
		return nil, err
	}
	one := signingWindow()
	one.NotBefore, one.NotAfter = short.claims.IssuedAt, short.claims.IssuedAt
	oneJWKS, err := jwks(one)
	if err != nil {
		return nil, err
	}
	return []Credential{
		{Name: "beside-a-never-valid-key", Description: "the JWKS also lists a key whose not_after is before its not_before: that key never signs, the others still work",
			QR: short.qr, JWKS: beside, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "key-window-backwards", Description: "signed by a key whose not_after is one second before its not_before: a key that never signs",
			QR: short.qr, JWKS: aloneJWKS, Expected: "key_not_valid", Claims: claimsJSON(short.claims)},
		{Name: "key-window-one-second", Description: "not_before = not_after = iat: a window of one second holds iat",
			QR: short.qr, JWKS: oneJWKS, Expected: "valid", Claims: claimsJSON(short.claims)},
	}, nil
}
