// Package inflate reads the zlib streams (RFC 1950) of CLA documents: the
// compressed QR code and the status list's bitstring. One reader, so both
// follow the same rules (docs/FORMAT.md, "zlib"):
//
//   - CMF is 0x78: deflate with a 32 KiB window, the only form an issuer
//     writes and the byte by which a QR code tells zlib from COSE;
//   - FLG makes CMF·256 + FLG a multiple of 31 and has FDICT clear: a
//     preset dictionary is data from outside the signed document;
//   - the deflate data and its Adler-32 are correct, the output stops at a
//     cap, and no byte follows the stream.
//
// FLEVEL is ignored and any valid deflate data is taken, stored blocks
// included: deflate has many encodings of the same bytes, so a reader
// cannot ask for the shortest, and the signature covers what it inflates
// to, not how.
package inflate

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// CMF is the only compression method and window byte accepted.
const CMF = 0x78

// fdict is the FDICT bit of FLG.
const fdict = 0x20

// ErrTooBig: the stream inflates past the cap (a zip bomb, or not ours).
var ErrTooBig = errors.New("inflate: inflates past the cap")

// Zlib inflates the zlib stream z, which must fill z exactly, to at most
// limit bytes.
func Zlib(z []byte, limit int) ([]byte, error) {
	switch {
	case len(z) < 2:
		return nil, errors.New("inflate: no zlib header")
	case z[0] != CMF:
		return nil, fmt.Errorf("inflate: CMF 0x%02x, want 0x78 (deflate, 32 KiB window)", z[0])
	case (uint(z[0])<<8|uint(z[1]))%31 != 0:
		return nil, errors.New("inflate: header check bits wrong")
	case z[1]&fdict != 0:
		return nil, errors.New("inflate: preset dictionary (FDICT) not allowed")
	}
	r := bytes.NewReader(z)
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	if len(out) > limit {
		return nil, fmt.Errorf("%w of %d bytes", ErrTooBig, limit)
	}
	if r.Len() != 0 {
		return nil, errors.New("inflate: bytes after the zlib stream")
	}
	return out, nil
}
