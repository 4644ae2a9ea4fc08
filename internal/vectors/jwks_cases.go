package vectors

import (
	"encoding/json"
	"fmt"
	"strings"
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
		{Name: "window-backwards", Description: "not_before after not_after: a key that never signs, read without rejecting the JWKS (before issue 18 this vector expected reject; FORMAT.md, Key windows, says why the change is safe)",
			JWKS: key(`,"not_before":"2027-01-01T00:00:00Z","not_after":"2026-01-01T00:00:00Z"`), Expected: "accept", Keys: 1},
		{Name: "window-one-second", Description: "not_before equal to not_after: a window of one second",
			JWKS: key(`,"not_before":"2026-01-01T00:00:00Z","not_after":"2026-01-01T00:00:00Z"`), Expected: "accept", Keys: 1},
		{Name: "time-lowercase-t", Description: "a lowercase t between date and time (the CLA grammar takes uppercase only)",
			JWKS: key(`,"not_before":"2026-01-01t00:00:00Z"`), Expected: "reject"},
		{Name: "time-lowercase-z", Description: "a lowercase z as the offset", JWKS: key(`,"not_after":"2026-12-31T23:59:59z"`), Expected: "reject"},
		{Name: "time-leap-second", Description: "seconds 60 (a leap second)", JWKS: key(`,"not_after":"2016-12-31T23:59:60Z"`), Expected: "reject"},
		{Name: "time-fraction", Description: "a fraction of a second (windows are whole seconds)",
			JWKS: key(`,"not_before":"2026-01-01T00:00:00.5Z"`), Expected: "reject"},
		{Name: "time-numeric-offset", Description: "not_before 2025-12-31T19:00:00-05:00 (Lima), the same instant as 2026-01-01T00:00:00Z",
			JWKS: key(`,"not_before":"2025-12-31T19:00:00-05:00","not_after":"2026-12-31T18:59:59-05:00"`), Expected: "accept", Keys: 1},
		{Name: "time-before-1970", Description: "not_before before 1970-01-01T00:00:00Z, the lower bound of every time",
			JWKS: key(`,"not_before":"1969-12-31T23:59:59Z"`), Expected: "reject"},
		{Name: "status-null", Description: "status null: only an absent member means the default", JWKS: key(`,"status":null`), Expected: "reject"},
		{Name: "not-after-null", Description: "not_after null: only an absent member means an unbounded window",
			JWKS: key(`,"not_after":null`), Expected: "reject"},
		{Name: "x-padded", Description: "x with base64 padding (=)", JWKS: raw(fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"%s="}]}`, x)),
			Expected: "reject"},
		{Name: "x-nonzero-unused-bits", Description: "x whose last character has a non-zero unused bit (not canonical base64url)",
			JWKS: raw(fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"%s"}]}`, dirtyBits(x))), Expected: "reject"},
		{Name: "bad-time", Description: "not_before as a bare year", JWKS: key(`,"not_before":"2026"`), Expected: "reject"},
		{Name: "duplicate-kid", Description: "the same key twice",
			JWKS:     raw(fmt.Sprintf(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":%q,"kid":%q},{"kty":"OKP","crv":"Ed25519","x":%q}]}`, x, kid, x)),
			Expected: "reject"},
		{Name: "no-ed25519-key", Description: "no usable key at all", JWKS: raw(`{"keys":[]}`), Expected: "reject"},
		{Name: "short-x", Description: "x of 3 bytes", JWKS: raw(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`), Expected: "reject"},
	}, nil
}

// dirtyBits sets the lowest unused bit of the last character of s, the
// base64url of 32 bytes (43 characters: 2 unused bits).
func dirtyBits(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[i|1])
}
