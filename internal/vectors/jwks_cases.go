package vectors

import (
	"encoding/json"
	"fmt"
)

// JWKS is one JWKS-reading case: Expected is "accept" (then Keys is the
// number of Ed25519 keys read) or "reject".
type JWKS struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	JWKS        json.RawMessage `json:"jwks"`
	Expected    string          `json:"expected"`
	Keys        int             `json:"keys,omitempty"`
}

func jwksCases() ([]JWKS, error) {
	x := b64.EncodeToString(pub(signKey))
	kid := b64.EncodeToString(signingWindow().ID)
	otherKid := b64.EncodeToString(keysetKID(otherKey))
	good, err := jwks(signingWindow())
	if err != nil {
		return nil, err
	}
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	key := func(extra string) json.RawMessage {
		return raw(fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":%q%s}]}`, x, extra))
	}
	return []JWKS{
		{Name: "cla-jwks", Description: "the issuer's JWKS with CLA members", JWKS: good, Expected: "accept", Keys: 1},
		{Name: "plain-rfc8037", Description: "only kty, crv and x: kid derived, active, unbounded window",
			JWKS: key(""), Expected: "accept", Keys: 1},
		{Name: "mixed-key-types", Description: "an EC key beside the Ed25519 one: skipped",
			JWKS:     raw(fmt.Sprintf(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},{"kty":"OKP","crv":"Ed25519","x":%q}]}`, x)),
			Expected: "accept", Keys: 1},
		{Name: "private-member", Description: "a key with its private part d", JWKS: key(`,"d":"AAAA"`), Expected: "reject"},
		{Name: "wrong-kid", Description: "a kid that is not base64url(SHA-256(x)[:8])",
			JWKS: key(fmt.Sprintf(`,"kid":%q`, otherKid)), Expected: "reject"},
		{Name: "unknown-status", Description: "status \"revoked\" is not a key status", JWKS: key(`,"status":"revoked"`), Expected: "reject"},
		{Name: "window-backwards", Description: "not_before after not_after",
			JWKS: key(`,"not_before":"2027-01-01T00:00:00Z","not_after":"2026-01-01T00:00:00Z"`), Expected: "reject"},
		{Name: "bad-time", Description: "not_before as a bare year", JWKS: key(`,"not_before":"2026"`), Expected: "reject"},
		{Name: "duplicate-kid", Description: "the same key twice",
			JWKS:     raw(fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":%q,"kid":%q},{"kty":"OKP","crv":"Ed25519","x":%q}]}`, x, kid, x)),
			Expected: "reject"},
		{Name: "no-ed25519-key", Description: "no usable key at all", JWKS: raw(`{"keys":[]}`), Expected: "reject"},
		{Name: "short-x", Description: "x of 3 bytes", JWKS: raw(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`), Expected: "reject"},
	}, nil
}
