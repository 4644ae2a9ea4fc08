package vectors

import (
	"bytes"
	"encoding/base32"
	"strings"

	"github.com/minedu-cla/cla/crypto/base45"
	"github.com/minedu-cla/cla/crypto/credential"
)

// b32 is RFC 4648 base32, uppercase, unpadded: the link form's fragment.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// linkOf is the link form of B (docs/FORMAT.md, "The link form"), built
// here from the bytes rather than with credential.Link, so that the
// vectors do not take the reader's word for the format.
func linkOf(base string, b []byte) string { return base + "/V#" + b32.EncodeToString(b) }

const linkBase = "HTTPS://CONSTANCIA.MINEDU.GOB.PE"

// linkCredentials: the link form (issue 14) — the same signed bytes after
// "/V#" in base32; the URL before it is not trusted and not checked
// beyond its shape.
func linkCredentials(good []byte, short, long, zipped *sealed) []Credential {
	frag := b32.EncodeToString(short.msg)
	// The last character's unused bits: a message's length decides how
	// many there are (none for a multiple of 5 bytes); the lowest is set.
	odd := short
	for _, c := range []*sealed{short, long, zipped} {
		if len(c.msg)%5 != 0 {
			odd = c
			break
		}
	}
	if len(odd.msg)%5 == 0 {
		panic("vectors: no code whose base32 has unused bits")
	}
	oddFrag := b32.EncodeToString(odd.msg)
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", oddFrag[len(oddFrag)-1])
	unusedSet := oddFrag[:len(oddFrag)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[last^1])
	link := linkOf(linkBase, short.msg)
	return []Credential{
		{Name: "link-valid-short", Description: "the link form: an uppercase https URL, \"/V#\", base32 of the COSE_Sign1",
			QR: link, JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "link-valid-13-years", Description: "the link form of a 13-year code",
			QR: linkOf(linkBase, long.msg), JWKS: good, Expected: "valid", Claims: claimsJSON(long.claims)},
		{Name: "link-valid-zlib", Description: "the link form carrying a zlib stream (B as after CLA1:)",
			QR: linkOf(linkBase, base45Bytes(zipped.qr)), JWKS: good, Expected: "valid", Claims: claimsJSON(zipped.claims)},
		{Name: "link-valid-lowercase-url", Description: "scheme and host in lowercase, as a browser's address bar shows them: the URL's case does not matter, the fragment's does",
			QR: linkOf("https://constancia.minedu.gob.pe", short.msg), JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "link-valid-http-port", Description: "http, a port: a test issuer",
			QR: linkOf("HTTP://LOCALHOST:8080", short.msg), JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "link-valid-other-host", Description: "another host: the URL is not trusted, only the signed bytes decide (a verifier shows its own address, never this one)",
			QR: linkOf("HTTPS://VERIFICA-CLA.EXAMPLE", short.msg), JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "link-valid-whitespace", Description: "a newline and spaces around the link",
			QR: "  " + link + "\r\n", JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "link-altered-signature", Description: "last byte of the signature flipped, in the link form",
			QR: linkOf(linkBase, flipLast(short.msg)), JWKS: good, Expected: "invalid_signature"},
		{Name: "link-lowercase-fragment", Description: "the base32 in lowercase: only the uppercase alphabet is base32 here",
			QR: linkBase + "/V#" + strings.ToLower(frag), JWKS: good, Expected: "malformed"},
		{Name: "link-padded", Description: "base32 with '=' padding",
			QR: linkBase + "/V#" + base32.StdEncoding.EncodeToString(short.msg) + strings.Repeat("=", 8*btoi(len(frag)%8 == 0)), JWKS: good, Expected: "malformed"},
		{Name: "link-bad-length", Description: "one base32 character more: a length of 1, 3 or 6 mod 8 is never base32",
			QR: link + "A", JWKS: good, Expected: "malformed"},
		{Name: "link-unused-bits", Description: "the last character's unused low bits not zero (not canonical)",
			QR: linkBase + "/V#" + unusedSet, JWKS: good, Expected: "malformed"},
		{Name: "link-two-hashes", Description: "a second '#' inside the fragment",
			QR: linkBase + "/V#" + frag[:16] + "#" + frag[16:], JWKS: good, Expected: "malformed"},
		{Name: "link-base45-fragment", Description: "base45 after /V# instead of base32 (its spaces alone make it malformed)",
			QR: linkBase + "/V#" + strings.TrimPrefix(short.qr, credential.Prefix), JWKS: good, Expected: "malformed"},
		{Name: "link-space-inside", Description: "a space in the middle of the fragment",
			QR: linkBase + "/V#" + frag[:16] + " " + frag[16:], JWKS: good, Expected: "malformed"},
		{Name: "link-non-ascii", Description: "a non-ASCII character (U+00C9) in the URL",
			QR: "HTTPS://CONSTANCIA.MINEDU.GOB.PÉ/V#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-other-path", Description: "/v# (lowercase path): not a link to the verifier, so not a CLA code",
			QR: linkBase + "/v#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-query", Description: "a query before the '#': the part before '#' must end in /V",
			QR: linkBase + "/V?X=1#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-no-host", Description: "HTTPS://V#…: the part before '#' ends in /V, but there is no host",
			QR: "HTTPS://V#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-path", Description: "a path before /V (U has none)",
			QR: linkBase + "/CLA/V#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-ftp", Description: "a scheme other than http or https",
			QR: "FTP://CONSTANCIA.MINEDU.GOB.PE/V#" + frag, JWKS: good, Expected: "malformed"},
		{Name: "link-empty-fragment", Description: "nothing after /V#",
			QR: linkBase + "/V#", JWKS: good, Expected: "malformed"},
		{Name: "link-zlib-bomb", Description: "a zlib stream that inflates to 1 MiB (cap 64 KiB), in the link form",
			QR: linkOf(linkBase, zlibOf(make([]byte, 1<<20))), JWKS: good, Expected: "malformed"},
	}
}

func flipLast(b []byte) []byte {
	c := bytes.Clone(b)
	c[len(c)-1] ^= 0x01
	return c
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// base45Bytes is B of a "CLA1:" text, before any zlib stream is inflated.
func base45Bytes(qr string) []byte {
	b, err := base45.Decode(strings.TrimPrefix(qr, credential.Prefix))
	if err != nil {
		panic(err)
	}
	return b
}
