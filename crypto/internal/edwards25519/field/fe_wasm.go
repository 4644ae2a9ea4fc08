// This file is this project's addition to the vendored library (see
// ../README.md).

//go:build wasm

package field

// On wasm there is no 64×64→128-bit multiply (math/bits.Mul64 is not an
// intrinsic there), so multiplication and squaring use fe_mul32.go.

func feMul(v, x, y *Element) { feMul32(v, x, y) }

func feSquare(v, x *Element) { feSquare32(v, x) }
