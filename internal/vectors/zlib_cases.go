package vectors

import (
	"bytes"
	"compress/zlib"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/status"
)

// zlibWith compresses b at level with an optional preset dictionary.
func zlibWith(b []byte, level int, dict []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevelDict(&buf, level, dict)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// withCMF returns zlib stream z with its CMF byte replaced and FLG's check
// bits fixed, so only the window size differs.
func withCMF(z []byte, cmf byte) []byte {
	c := bytes.Clone(z)
	c[0] = cmf
	c[1] &^= 0x1f
	c[1] += byte((31 - (uint(c[0])<<8|uint(c[1]))%31) % 31)
	return c
}

// zlibCredentials: which zlib streams a QR code may carry.
func zlibCredentials(good []byte, short *sealed) []Credential {
	stored := zlibWith(short.msg, zlib.NoCompression, nil)
	badAdler := bytes.Clone(zlibOf(short.msg))
	badAdler[len(badAdler)-1] ^= 1
	return []Credential{
		{Name: "zlib-stored-longer", Description: "the COSE_Sign1 in a zlib stream of stored blocks, longer than the COSE_Sign1 itself: any valid zlib form is read",
			QR: qrOf(stored), JWKS: good, Expected: "valid", Claims: claimsJSON(short.claims)},
		{Name: "zlib-preset-dictionary", Description: "a zlib stream with FDICT set (a preset dictionary)",
			QR: qrOf(zlibWith(short.msg, zlib.BestCompression, []byte("MINEDU"))), JWKS: good, Expected: "malformed"},
		{Name: "zlib-bad-adler32", Description: "the zlib stream's Adler-32 checksum altered",
			QR: qrOf(badAdler), JWKS: good, Expected: "malformed"},
	}
}

// zlibStatuses: a list whose bits are a zlib stream with a 1 KiB window
// (CMF 0x28), in stored blocks so that any inflater could read it.
func zlibStatuses(good []byte) ([]Status, error) {
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	payload, err := marshalLoose(map[int64]any{1: uint64(1), 2: uint64(t0.Unix()), 3: uint64(t0.Add(time.Hour).Unix()),
		4: withCMF(zlibWith(make([]byte, status.MinBits/8), zlib.NoCompression, nil), 0x28)})
	if err != nil {
		return nil, err
	}
	doc, err := cose.SignDocument(signKey, status.ContentType, payload)
	if err != nil {
		return nil, err
	}
	return []Status{{Name: "list-zlib-small-window", Description: "a correctly signed list whose bits are a zlib stream with CMF 0x28 (1 KiB window): only 0x78 is read",
		JWKS: good, List: b64.EncodeToString(doc), Expected: "malformed"}}, nil
}
