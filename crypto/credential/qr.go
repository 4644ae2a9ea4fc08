package credential

import (
	"bytes"
	"compress/zlib"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/minedu-cla/cla/crypto/base45"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/dcbor"
	zinflate "github.com/minedu-cla/cla/crypto/inflate"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// Prefix starts every QR text. The digit is the format version: a reader
// that sees another one knows it is not this format.
const Prefix = "CLA1:"

// ErrMalformed wraps every failure to read a code or record: bad prefix,
// base45, zlib, CBOR, COSE, schema, or a size cap.
var ErrMalformed = errors.New("credential: malformed")

func malformed(stage string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrMalformed, stage, err)
}

// Seal signs c with priv and returns the QR text: Prefix + base45 of the
// COSE_Sign1, or of its zlib stream when that is shorter.
func Seal(priv ed25519.PrivateKey, c *Claims) (string, error) {
	if err := c.Validate(); err != nil {
		return "", fmt.Errorf("credential: %w", err)
	}
	payload, err := dcbor.Marshal(c.wire())
	if err != nil {
		return "", err
	}
	msg, err := cose.SignDocument(priv, "", payload)
	if err != nil {
		return "", err
	}
	if mayCompress(msg) {
		if z := deflate(msg); len(z) < len(msg) {
			msg = z
		}
	}
	out := make([]byte, 0, len(Prefix)+base45.EncodedLen(len(msg)))
	return string(base45.AppendEncode(append(out, Prefix...), msg)), nil
}

// mayCompress reports whether msg has enough repetition for zlib to stand a
// chance of shortening it: deflate gains only from repeated runs of ≥ 3
// bytes, and zlib's header, checksum and block header cost ~10 bytes. A
// typical code has almost no repetition (a signature, a digest, names), and
// compressing it would cost as much time as signing it, so a greedy scan
// for repeated 4-byte runs decides whether to try. It never makes the
// output longer: when in doubt, deflate runs and the shorter form wins.
func mayCompress(msg []byte) bool {
	const minGain = 12
	var seen [1 << 10]int16 // hash of 4 bytes → position + 1
	gain := 0
	for i := 0; i+4 <= len(msg); {
		v := uint32(msg[i]) | uint32(msg[i+1])<<8 | uint32(msg[i+2])<<16 | uint32(msg[i+3])<<24
		h := (v * 2654435761) >> 22
		j := int(seen[h]) - 1
		seen[h] = int16(i + 1)
		if j >= 0 && i-j <= 32768 && bytes.Equal(msg[j:j+4], msg[i:i+4]) {
			n := 4
			for i+n < len(msg) && msg[j+n] == msg[i+n] {
				n++
			}
			gain += n - 3 // a match token costs ~3 bytes
			i += n
			continue
		}
		i++
	}
	return gain >= minGain
}

// zlibPool reuses compressors: a fresh one allocates ~1 MB of tables,
// several times the cost of signing.
var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestCompression)
	return w
}}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(w)
	w.Reset(&buf)
	w.Write(b) // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}

// Decode turns a QR text, "CLA1:" or the link form (see LinkPath), into
// the COSE_Sign1 bytes it carries, without parsing them. Surrounding
// whitespace is ignored: it is safe to trim, because base45 never ends in
// a space (see base45's tests) and a link has none.
func Decode(text string) ([]byte, error) {
	_, msg, err := decode(text)
	return msg, err
}

// decode returns B as the text carries it, and the COSE_Sign1 (B
// inflated when it is a zlib stream).
func decode(text string) (raw, msg []byte, err error) {
	if len(text) > 2*MaxText {
		return nil, nil, malformed("text", fmt.Errorf("over %d characters", MaxText))
	}
	text = strings.TrimSpace(text)
	if len(text) > MaxText {
		return nil, nil, malformed("text", fmt.Errorf("over %d characters", MaxText))
	}
	raw, err = carried(text)
	if err != nil {
		return nil, nil, err
	}
	msg = raw
	if len(raw) > 0 && raw[0] == zinflate.CMF { // zlib CMF: deflate, 32 KiB window
		if msg, err = inflate(raw); err != nil {
			return nil, nil, malformed("zlib", err)
		}
	}
	return raw, msg, nil
}

// carried returns B, the bytes a trimmed QR text carries in either form
// (before any zlib stream is inflated).
func carried(text string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(text, Prefix); ok {
		b, err := base45.Decode(rest)
		if err != nil {
			return nil, malformed("base45", err)
		}
		return b, nil
	}
	if !IsLink(text) {
		return nil, malformed("prefix", fmt.Errorf("does not start with %q and is not a link to %s#", Prefix, LinkPath))
	}
	frag, err := linkFragment(text)
	if err != nil {
		return nil, malformed("link", err)
	}
	b, err := base32Decode(frag)
	if err != nil {
		return nil, malformed("base32", err)
	}
	return b, nil
}

// inflate decompresses one zlib stream under the rules of package inflate,
// with no bytes after it, and stops at MaxInflate.
func inflate(z []byte) ([]byte, error) { return zinflate.Zlib(z, MaxInflate) }

// Open reads and verifies a QR text against keys. On success it returns
// the claims and the signing key. It returns claims with an error too when
// the signature is good but the key may not vouch for them
// (keyset.ErrKeyCompromised, keyset.ErrKeyNotValid), so a verifier can say
// which document it refused. Other errors wrap ErrMalformed,
// keyset.ErrUnknownKey or cose.ErrSignature. StatusOf maps any of them to a
// verification status.
func Open(text string, keys keyset.Lookup) (*Claims, keyset.Key, error) {
	b, err := Decode(text)
	if err != nil {
		return nil, keyset.Key{}, err
	}
	m, err := cose.DecodeDocument(b, "")
	if err != nil {
		return nil, keyset.Key{}, malformed("cose", err)
	}
	var w wireClaims
	if err := dcbor.Unmarshal(m.Payload, &w); err != nil {
		return nil, keyset.Key{}, malformed("claims", err)
	}
	c := w.claims()
	if err := c.Validate(); err != nil {
		return nil, keyset.Key{}, malformed("claims", err)
	}
	k, err := verifyKey(m, keys, c.IssuedAt)
	if errors.Is(err, keyset.ErrUnknownKey) || errors.Is(err, cose.ErrSignature) {
		return nil, keyset.Key{}, err
	}
	return c, k, err
}
