package cose

// Size caps, checked before any CBOR is parsed.
const (
	// MaxMessage caps one encoded COSE_Sign1. The largest CLA document is a
	// status list of 16 Mbit, compressed (well under 1 MiB even at 5%
	// revoked); a QR code holds at most 2,953 bytes.
	MaxMessage = 4 << 20
	// MaxHeader caps one encoded header map; ours are under 64 bytes.
	MaxHeader = 1024
	// MaxKeyID caps the kid; the CLA kid is 8 bytes.
	MaxKeyID = 64
)
