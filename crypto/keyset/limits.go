package keyset

// Caps on keyset documents and JWKS files.
const (
	// MaxKeys caps the keys in one keyset: rotating every quarter for a
	// century is 400 keys.
	MaxKeys = 1000
	// MaxDocument caps an encoded keyset (a key is ~70 bytes).
	MaxDocument = 256 << 10
	// MaxJWKS caps a JWKS file.
	MaxJWKS = 1 << 20
	// maxUnix is 9999-12-31T23:59:59Z: later times are malformed.
	maxUnix = 253402300799
)
