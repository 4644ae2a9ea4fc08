package credential

import (
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// LinkPath is the browser verifier's path on the issuer. A constancia's
// QR code is a link to it with the signed bytes in the fragment, which
// browsers never send to a server (docs/FORMAT.md, "The link form"):
//
//	link = upper(U) "/V#" base32(B)
//
// B is the same bytes as after "CLA1:" (a COSE_Sign1 or its zlib stream);
// base32 is RFC 4648's alphabet, uppercase, without padding. U (the
// issuer's address) is not trusted: a reader takes only the signed bytes.
const LinkPath = "/V"

// b32 is RFC 4648 base32 without padding. Decoding checks canonical form
// by encoding again (Go's decoder ignores the unused bits of the last
// character and takes some impossible lengths).
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Link returns the link form of the QR text text, for an issuer reached
// at base (an http or https URL without path, query or fragment, as
// people type it). Uppercase keeps the whole link in the QR code's
// alphanumeric mode but for the "#"; scheme and host are case-insensitive,
// and the issuer serves the page at "/V".
func Link(base, text string) (string, error) {
	u, err := LinkBase(base)
	if err != nil {
		return "", err
	}
	raw, _, err := decode(text)
	if err != nil {
		return "", err
	}
	return u + LinkPath + "#" + b32.EncodeToString(raw), nil
}

// LinkBase checks an issuer's address for Link and returns it as links
// carry it: uppercase, without a trailing slash.
func LinkBase(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("credential: link base %q is not an http or https URL", base)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return "", fmt.Errorf("credential: link base %q has a path, query, fragment or user: the verifier is at %s on the host", base, LinkPath)
	}
	out := strings.ToUpper(u.Scheme + "://" + u.Host)
	for i := 0; i < len(out); i++ {
		if out[i] <= ' ' || out[i] > '~' || out[i] == '#' {
			return "", fmt.Errorf("credential: link base %q is not printable ASCII", base)
		}
	}
	return out, nil
}

// IsLink reports whether text (trimmed) is in the link form's shape:
// "http://" or "https://" (any case), an authority (a host, maybe a port:
// one character or more, none of them "/", "?" or "#"), then "/V#". It
// says nothing of the characters or the fragment: Decode judges those.
func IsLink(text string) bool {
	text = strings.TrimSpace(text)
	u, _, ok := strings.Cut(text, "#")
	if !ok {
		return false
	}
	var rest string
	switch {
	case hasPrefixFold(u, "https://"):
		rest = u[len("https://"):]
	case hasPrefixFold(u, "http://"):
		rest = u[len("http://"):]
	default:
		return false
	}
	authority, ok := strings.CutSuffix(rest, LinkPath)
	return ok && authority != "" && !strings.ContainsAny(authority, "/?")
}

// IsCode reports whether a QR text is a CLA code in either form, valid or
// not, as opposed to another QR code in view (a web address, a Wi-Fi
// network, a payment).
func IsCode(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), Prefix) || IsLink(text)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

var errLinkShape = errors.New(`not "CLA1:" nor an http(s) link to /V#`)

// linkFragment returns the fragment of a link-form text (trimmed), after
// the rules every reader applies: printable ASCII only, one "#".
func linkFragment(text string) (string, error) {
	if !IsLink(text) {
		return "", errLinkShape
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c <= ' ' || c > '~' {
			return "", fmt.Errorf("byte 0x%02x at %d in a link", c, i)
		}
	}
	_, frag, _ := strings.Cut(text, "#")
	if strings.Contains(frag, "#") {
		return "", errors.New(`more than one "#" in a link`)
	}
	return frag, nil
}

// base32Decode decodes canonical unpadded uppercase base32: any other
// character, a length of 1, 3 or 6 characters mod 8, or unused bits not
// zero in the last character make it malformed.
func base32Decode(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty base32")
	}
	b, err := b32.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if b32.EncodeToString(b) != s {
		return nil, errors.New("base32 not in canonical form (length or unused bits)")
	}
	return b, nil
}
