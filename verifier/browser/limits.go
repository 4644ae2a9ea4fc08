package browser

import (
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
)

// Caps of the snapshot decoder (snapshot.go). The engine's own caps come
// first: nothing it keeps is larger, so a snapshot over them was not
// written by it.
const (
	// maxSnapshot caps the whole: a bundle's worth (32 MiB) and the bits.
	maxSnapshot = 64 << 20
	// maxKeysetDocs caps the keyset chain: one a rotation, a few a year.
	maxKeysetDocs = 1 << 12
	maxKeysetDoc  = keyset.MaxDocument
	// maxDeltaDocs caps the list's history (trust.MaxHistory is 64).
	maxDeltaDocs = 1 << 10
	maxStatusDoc = status.MaxDocument
	maxBits      = status.MaxBits / 8
	// maxETags and maxString cap the sync notes: one ETag today, an
	// error message, a URL.
	maxETags  = 16
	maxString = 64 << 10
	// minUnix and maxUnix bound a time: year 1 to 9999.
	minUnix = -62135596800
	maxUnix = 253402300799
)
