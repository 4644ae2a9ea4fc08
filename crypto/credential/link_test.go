package credential_test

import (
	"bytes"
	"encoding/base32"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
	"github.com/minedu-cla/cla/qr"
	"github.com/skip2/go-qrcode"
)

// TestLink: the link form carries the same bytes as "CLA1:", opens to the
// same claims under any address, and is recognised as a code.
func TestLink(t *testing.T) {
	t.Parallel()
	text, want, _, err := sample.Sealed(signer, sample.Student(), 13)
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"https://cla.minedu.gob.pe", "http://localhost:8080/", "HTTPS://Example.ORG:8443"} {
		link, err := credential.Link(base, text)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ToUpper(link) != link || !strings.Contains(link, "/V#") {
			t.Errorf("link %q is not uppercase with /V#", link)
		}
		again, err := credential.Link(base, link) // from the link form too
		if err != nil || again != link {
			t.Errorf("Link of the link: %q, %v", again, err)
		}
		a, _ := credential.Decode(text)
		b, err := credential.Decode(link)
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s: Decode: %v", base, err)
		}
		for _, l := range []string{link, strings.Replace(link, "HTTP", "http", 1), " " + link + "\r\n"} {
			got, _, err := credential.Open(l, keys)
			if err != nil || got.Code != want.Code || got.Student != want.Student {
				t.Errorf("Open(%.30q…): %v", l, err)
			}
			if !credential.IsCode(l) || !credential.IsLink(l) {
				t.Errorf("IsCode(%.30q…) false", l)
			}
		}
	}
	for _, base := range []string{"ftp://x.pe", "https://x.pe/cla", "https://x.pe/?a=1", "https://x.pe/#f", "x.pe", "https://", "https://us:pw@x.pe"} {
		if l, err := credential.Link(base, text); err == nil {
			t.Errorf("Link(%q) = %q, want an error", base, l)
		}
	}
	if _, err := credential.Link("https://x.pe", "CLA1:AB"); err == nil {
		t.Error("Link of a malformed code, no error")
	}
}

// TestLinkAttacks: what an attacker might put in a QR code that looks
// like a link. Each is malformed (or not a CLA code at all), never valid.
func TestLinkAttacks(t *testing.T) {
	t.Parallel()
	text, _, _, _ := sample.Sealed(signer, sample.ShortStudent(), 3)
	link, err := credential.Link("https://cla.minedu.gob.pe", text)
	if err != nil {
		t.Fatal(err)
	}
	url, frag, _ := strings.Cut(link, "#")
	raw, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(frag)
	last := frag[len(frag)-1]
	flip := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", last) ^ 1 // a change in the unused low bits
	padded := base32.StdEncoding.EncodeToString(raw)
	if padded == frag { // a length that needs none
		padded += "="
	}
	cases := map[string]string{
		"lowercase fragment":         url + "#" + strings.ToLower(frag),
		"padding":                    url + "#" + padded,
		"two #":                      url + "#" + frag[:10] + "#" + frag[10:],
		"space inside":               url + "#" + frag[:10] + " " + frag[10:],
		"non-ASCII":                  url + "#" + frag[:10] + "É" + frag[10:],
		"NUL":                        url + "\x00#" + frag,
		"a character more (mod 8)":   url + "#" + frag + "A",
		"unused bits set":            url + "#" + frag[:len(frag)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[flip]),
		"base45 after #":             url + "#" + strings.TrimPrefix(text, credential.Prefix),
		"empty fragment":             url + "#",
		"a byte cut":                 url + "#" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:len(raw)-1]),
		"percent-encoded character":  url + "#%41" + frag[1:],
		"CLA1: and a link in one":    text + link,
		"link to another path":       strings.Replace(link, "/V#", "/v#", 1),
		"javascript scheme":          "JAVASCRIPT://X/V#" + frag,
		"no scheme":                  "CLA.MINEDU.GOB.PE/V#" + frag,
		"fragment that is a URL too": url + "#HTTPS://X/V#" + frag,
	}
	if len(frag)%8 == 0 { // no unused bits: 40 bits are 5 whole bytes
		delete(cases, "unused bits set")
	}
	for name, c := range cases {
		got, _, err := credential.Open(c, keys)
		if err == nil || credential.StatusOf(err) != credential.Malformed {
			t.Errorf("%s: %v (claims %v), want malformed", name, err, got != nil)
		}
	}
	for _, notCode := range []string{"https://example.org/#top", "HTTPS://X.PE/VER#AAAA", "WIFI:S:MINEDU;;", "http://x.pe/V",
		"HTTPS://V#AAAA", "HTTPS:///V#AAAA", "HTTPS://X.PE/CLA/V#AAAA", "HTTPS://X.PE?Q=/V#AAAA", "HTTPS://X.PE/V"} {
		if credential.IsCode(notCode) {
			t.Errorf("IsCode(%q): true", notCode)
		}
	}
}

// TestLinkBudget: a 13-year code as a link grows by at most two QR
// versions over "CLA1:" (issue 14), with the project's encoder and with
// go-qrcode's, for the longest names the budget allows and the usual
// ones, at the longest address the ministry might use.
func TestLinkBudget(t *testing.T) {
	t.Parallel()
	for _, st := range []credential.Student{longestNames, sample.Student(), sample.ShortStudent()} {
		text, _, _, err := sample.Sealed(signer, st, 13)
		if err != nil {
			t.Fatal(err)
		}
		link, err := credential.Link("https://constancia.minedu.gob.pe", text)
		if err != nil {
			t.Fatal(err)
		}
		a, err := qr.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := qr.Encode(link)
		if err != nil {
			t.Fatal(err)
		}
		g, err := qrcode.New(link, qrcode.High) // go-qrcode's High is level Q
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: CLA1 %d characters, version %d; link %d characters, version %d (go-qrcode %d)",
			st.GivenNames, len(text), a.Version, len(link), b.Version, g.VersionNumber)
		if b.Version > a.Version+2 || g.VersionNumber > a.Version+2 {
			t.Errorf("%s: link version %d (go-qrcode %d) over CLA1's %d + 2", st.GivenNames, b.Version, g.VersionNumber, a.Version)
		}
	}
}
