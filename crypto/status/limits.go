package status

// Caps on status lists and deltas.
const (
	// MinBits is the smallest list: 131,072 bits, so that one revoked
	// index hides among at least 2^17 (herd privacy).
	MinBits = 1 << 17
	// MaxBits caps a list at 16,777,216 constancias (2 MiB of bits);
	// inflating is capped there, so a zlib bomb stops at 2 MiB.
	MaxBits = 1 << 24
	// MaxDocument caps an encoded list or delta. A 1,000,000-bit list
	// with 1% revoked signs to ~14 KB; a delta costs ≤ 5 bytes a change.
	MaxDocument = 8 << 20
)
