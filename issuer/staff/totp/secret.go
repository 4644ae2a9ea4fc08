package totp

import (
	"io"
	"net/url"
	"strconv"
	"strings"
)

// SecretSize is the length of a generated secret: 160 bits, the HMAC-SHA1
// block output size RFC 4226 §4 recommends.
const SecretSize = 20

// NewSecret returns a new secret from rand (crypto/rand.Reader in
// production), base32 without padding: 32 characters.
func NewSecret(rand io.Reader) (string, error) {
	key := make([]byte, SecretSize)
	if _, err := io.ReadFull(rand, key); err != nil {
		return "", err
	}
	return encoding.EncodeToString(key), nil
}

// URI returns the otpauth:// URI that authenticator apps read from a QR
// code (Google Authenticator's Key Uri Format): the label "issuer:account"
// and the parameters spelled out, so apps that ignore the defaults agree.
// Spaces are %20, never '+': several apps show a '+' literally.
func URI(secret, issuer, account string) string {
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "otpauth://totp/" + esc(issuer) + ":" + esc(account) +
		"?secret=" + secret + "&issuer=" + esc(issuer) +
		"&algorithm=SHA1&digits=" + strconv.Itoa(Digits) + "&period=" + strconv.Itoa(Period)
}
