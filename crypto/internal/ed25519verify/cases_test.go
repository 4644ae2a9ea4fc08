package ed25519verify

import (
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"math/big"
	mathrand "math/rand"
	"testing"

	"github.com/minedu-cla/cla/crypto/internal/edwards25519"
)

// A case is a public key, message and signature with the verdict
// crypto/ed25519.Verify gives it (Go 1.26), known by construction.
type testCase struct {
	name          string
	pub, msg, sig []byte
	want          bool
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// rfc8032 are the test vectors of RFC 8032, section 7.1 (TEST 1, 2, 3,
// 1024 and SHA(abc)): secret key (seed), public key, message, signature.
var rfc8032 = []struct{ name, seed, pub, msg, sig string }{
	{"TEST 1",
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
			"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2",
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
			"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3",
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		"af82",
		"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac" +
			"18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST 1024",
		"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
		"278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
		"08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98" +
			"fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8" +
			"79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d" +
			"658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc" +
			"1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe" +
			"ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e" +
			"06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef" +
			"efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7" +
			"aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1" +
			"85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2" +
			"d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24" +
			"554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270" +
			"88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc" +
			"2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07" +
			"07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba" +
			"b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a" +
			"ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e" +
			"c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7" +
			"51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c" +
			"42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8" +
			"ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df" +
			"f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08" +
			"d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649" +
			"de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4" +
			"88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3" +
			"2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e" +
			"6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f" +
			"b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5" +
			"0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1" +
			"369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d" +
			"b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c" +
			"0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
		"0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350" +
			"aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
	{"TEST SHA(abc)",
		"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
			"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		"dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589" +
			"09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
}

// fieldP is 2^255 - 19.
var fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// groupL is the order of the prime-order subgroup, 2^252 + 27742317777372353535851937790883648493.
var groupL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// le32 returns n as 32 little-endian bytes.
func le32(n *big.Int) []byte {
	b := n.FillBytes(make([]byte, 32))
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

// encodeY returns the 32-byte encoding of a y coordinate given as an integer
// (which may be p or more: a non-canonical encoding) and a sign bit.
func encodeY(y *big.Int, sign bool) []byte {
	b := le32(y)
	if sign {
		b[31] |= 0x80
	}
	return b
}

// order8 is the canonical encoding of a point of order 8; the test checks
// its order. Its multiples are the eight points of small order.
const order8 = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"

// torsion returns the eight small-order points, torsion[i] = [i]T8.
func torsion(t testing.TB) [8]*edwards25519.Point {
	t.Helper()
	t8, err := new(edwards25519.Point).SetBytes(mustHex(order8))
	if err != nil {
		t.Fatal(err)
	}
	var out [8]*edwards25519.Point
	out[0] = edwards25519.NewIdentityPoint()
	for i := 1; i < 8; i++ {
		out[i] = new(edwards25519.Point).Add(out[i-1], t8)
	}
	if out[4].Equal(out[0]) == 1 || new(edwards25519.Point).Add(out[7], t8).Equal(out[0]) != 1 {
		t.Fatal("order8 is not a point of order 8")
	}
	return out
}

// challenge returns k = SHA-512(R ‖ A ‖ M) mod L.
func challenge(r, a, m []byte) *edwards25519.Scalar {
	h := sha512.New()
	h.Write(r)
	h.Write(a)
	h.Write(m)
	k, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(nil))
	if err != nil {
		panic(err)
	}
	return k
}

// possible reports whether some k mod 8 satisfies ok.
func possible(ok func(int) bool) bool {
	for k8 := 0; k8 < 8; k8++ {
		if ok(k8) {
			return true
		}
	}
	return false
}

// mod8 returns k mod 8, which is all that matters of k against a point of
// small order.
func mod8(k *edwards25519.Scalar) int { return int(k.Bytes()[0] & 7) }

func randomScalar(rng *mathrand.Rand) *edwards25519.Scalar {
	b := make([]byte, 64)
	rng.Read(b)
	s, err := edwards25519.NewScalar().SetUniformBytes(b)
	if err != nil {
		panic(err)
	}
	return s
}

// encodings returns the encodings of p that crypto/ed25519 decodes to p:
// the canonical one first, then, where they exist, y + p (when y < 19) and
// the sign bit set on a point with x = 0 ("negative zero").
func encodings(p *edwards25519.Point) [][]byte {
	canon := p.Bytes()
	out := [][]byte{canon}
	b := append([]byte(nil), canon...)
	sign := b[31]&0x80 != 0
	b[31] &= 0x7f
	y := new(big.Int).SetBytes(reverse(b))
	if y.Cmp(big.NewInt(19)) < 0 {
		out = append(out, encodeY(new(big.Int).Add(y, fieldP), sign))
	}
	if y.Cmp(big.NewInt(1)) == 0 || y.Cmp(new(big.Int).Sub(fieldP, big.NewInt(1))) == 0 {
		// x = 0: the sign bit is free.
		out = append(out, encodeY(y, true))
		if y.Cmp(big.NewInt(1)) == 0 {
			out = append(out, encodeY(new(big.Int).Add(y, fieldP), true))
		}
	}
	return out
}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

func sigOf(r []byte, s *edwards25519.Scalar) []byte {
	return append(append([]byte(nil), r...), s.Bytes()...)
}

// edgeCases builds the cases of "Taming the many EdDSAs" (Chalkias,
// Garillot, Nikolaenko, 2020) and more, written for this test: small-order
// and mixed-order A and R, non-canonical encodings of A and R, S = 0,
// S ≥ L, bits over 2^253 in S, points off the curve. Each case's verdict is
// the one crypto/ed25519 gives by construction: the cofactorless equation
// [S]B = R + [k]A, with R compared as bytes to the canonical encoding of
// [S]B - [k]A, A decoded leniently (y ≥ p and x = 0 with the sign bit set
// are accepted) and S required below L.
func edgeCases(t testing.TB) []testCase {
	t.Helper()
	rng := mathrand.New(mathrand.NewSource(8032))
	tor := torsion(t)
	var cases []testCase
	add := func(name string, pub, msg, sig []byte, want bool) {
		cases = append(cases, testCase{name, pub, msg, sig, want})
	}
	zero := edwards25519.NewScalar()

	// searchMsg returns the first message "name/i" whose challenge k,
	// with R and A as given, satisfies ok(k mod 8).
	searchMsg := func(name string, r, a []byte, ok func(int) bool) ([]byte, *edwards25519.Scalar) {
		for i := 0; ; i++ {
			m := []byte(fmt.Sprintf("%s/%d", name, i))
			if k := challenge(r, a, m); ok(mod8(k)) {
				return m, k
			}
		}
	}

	// 1. Small-order A, small-order R, S = 0: verifies exactly when
	// R = -[k]A, for every encoding of A and only the canonical one of R.
	for ia := 0; ia < 8; ia++ {
		for ir := 0; ir < 8; ir++ {
			for ea, pa := range encodings(tor[ia]) {
				for er, pr := range encodings(tor[ir]) {
					name := fmt.Sprintf("small A=[%d]T8 enc %d, small R=[%d]T8 enc %d, S=0", ia, ea, ir, er)
					holds := func(k8 int) bool { return (ir+ia*k8)%8 == 0 } // R + [k]A = 0
					fails := func(k8 int) bool { return !holds(k8) }
					if possible(holds) {
						m, _ := searchMsg(name, pr, pa, holds)
						add(name+", equation holds", pa, m, sigOf(pr, zero), er == 0)
						// The same with S = L: non-canonical, rejected.
						add(name+", equation holds, S=L", pa, m, append(append([]byte(nil), pr...), le32(groupL)...), false)
					}
					if possible(fails) {
						m, _ := searchMsg(name+" fails", pr, pa, fails)
						add(name+", equation fails", pa, m, sigOf(pr, zero), false)
					}
				}
			}
		}
	}

	// 2. Mixed-order A = [a]B + T, R = [r]B, S = r + k·a: the equation
	// holds exactly when [k]T = 0.
	for it := 1; it < 8; it++ {
		a, r := randomScalar(rng), randomScalar(rng)
		A := new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(a), tor[it])
		R := new(edwards25519.Point).ScalarBaseMult(r)
		pa, pr := A.Bytes(), R.Bytes()
		order := 8
		for order > 1 && it*(order/2)%8 == 0 {
			order /= 2
		}
		name := fmt.Sprintf("mixed A (torsion [%d]T8)", it)
		m, k := searchMsg(name, pr, pa, func(k8 int) bool { return k8%order == 0 })
		add(name+", [k]T = 0", pa, m, sigOf(pr, edwards25519.NewScalar().MultiplyAdd(k, a, r)), true)
		m, k = searchMsg(name+" k", pr, pa, func(k8 int) bool { return k8%order != 0 })
		add(name+", [k]T ≠ 0", pa, m, sigOf(pr, edwards25519.NewScalar().MultiplyAdd(k, a, r)), false)
	}

	// 3. Mixed-order R = [r]B + T with a prime-order A: never verifies
	// cofactorless. Then mixed A and mixed R with T_R = -[k]T_A: verifies.
	for it := 1; it < 8; it++ {
		a, r := randomScalar(rng), randomScalar(rng)
		A := new(edwards25519.Point).ScalarBaseMult(a)
		R := new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(r), tor[it])
		pa, pr := A.Bytes(), R.Bytes()
		m := []byte(fmt.Sprintf("mixed R (torsion [%d]T8)", it))
		k := challenge(pr, pa, m)
		add(string(m), pa, m, sigOf(pr, edwards25519.NewScalar().MultiplyAdd(k, a, r)), false)

		A.Add(A, tor[1])
		pa = A.Bytes()
		name := fmt.Sprintf("mixed A (torsion T8), mixed R (torsion [%d]T8)", it)
		m, k = searchMsg(name, pr, pa, func(k8 int) bool { return (it+k8)%8 == 0 })
		add(name+", T_R = -[k]T_A", pa, m, sigOf(pr, edwards25519.NewScalar().MultiplyAdd(k, a, r)), true)
		m, k = searchMsg(name+" fails", pr, pa, func(k8 int) bool { return (it+k8)%8 != 0 })
		add(name+", T_R ≠ -[k]T_A", pa, m, sigOf(pr, edwards25519.NewScalar().MultiplyAdd(k, a, r)), false)
	}

	// 4. A valid signature, then S made non-canonical: S + L (still below
	// 2^253), S + 2^253·j (the three top bits), S = L - 1 and S = 2^256 - 1.
	{
		priv := ed25519.NewKeyFromSeed(mustHex(rfc8032[1].seed))
		pub := priv.Public().(ed25519.PublicKey)
		msg := []byte("non-canonical S")
		sig := ed25519.Sign(priv, msg)
		add("valid, for the non-canonical S cases", pub, msg, sig, true)
		s := new(big.Int).SetBytes(reverse(sig[32:]))
		for _, v := range []struct {
			name string
			s    *big.Int
		}{
			{"S+L", new(big.Int).Add(s, groupL)},
			{"S+2^253", new(big.Int).Add(s, new(big.Int).Lsh(big.NewInt(1), 253))},
			{"S+2^254", new(big.Int).Add(s, new(big.Int).Lsh(big.NewInt(1), 254))},
			{"S+2^255", new(big.Int).Add(s, new(big.Int).Lsh(big.NewInt(1), 255))},
			{"S=L-1", new(big.Int).Sub(groupL, big.NewInt(1))},
			{"S=L", groupL},
			{"S=2^253-1", new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 253), big.NewInt(1))},
			{"S=2^256-1", new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))},
		} {
			bad := append(append([]byte(nil), sig[:32]...), le32(v.s)...)
			add(v.name, pub, msg, bad, false)
		}
	}

	// 5. Every y in [p, 2^255) (non-canonical) and y in {0, 1, 2, p-1} as A,
	// with both signs, under a signature that cannot hold for points of
	// large order (S = 0, R = identity): tests decoding alone, and the
	// small-order ones verify when [k]A = 0.
	ys := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), new(big.Int).Sub(fieldP, big.NewInt(1))}
	for i := int64(0); i < 19; i++ {
		ys = append(ys, new(big.Int).Add(fieldP, big.NewInt(i)))
	}
	for _, y := range ys {
		for _, sign := range []bool{false, true} {
			pa := encodeY(y, sign)
			name := fmt.Sprintf("A y=%x sign=%v, R=identity, S=0", le32(y)[:2], sign)
			A, err := new(edwards25519.Point).SetBytes(pa)
			want := false
			m := []byte(name)
			if err == nil && new(edwards25519.Point).MultByCofactor(A).Equal(edwards25519.NewIdentityPoint()) == 1 {
				// Small order: choose the message so that [k]A = 0.
				for i := 0; ; i++ {
					m = []byte(fmt.Sprintf("%s/%d", name, i))
					k := challenge(tor[0].Bytes(), pa, m)
					if new(edwards25519.Point).ScalarMult(k, A).Equal(tor[0]) == 1 {
						break
					}
				}
				want = true
			}
			add(name, pa, m, sigOf(tor[0].Bytes(), zero), want)
		}
	}

	// 6. A and R off the curve: y such that x^2 = (y^2-1)/(dy^2+1) has no
	// square root.
	for y, n := int64(2), 0; n < 4; y++ {
		pa := encodeY(big.NewInt(y), false)
		if _, err := new(edwards25519.Point).SetBytes(pa); err == nil {
			continue
		}
		n++
		add(fmt.Sprintf("A off the curve (y=%d)", y), pa, []byte("off"), sigOf(tor[0].Bytes(), zero), false)
		priv := ed25519.NewKeyFromSeed(mustHex(rfc8032[0].seed))
		add(fmt.Sprintf("R off the curve (y=%d)", y), priv.Public().(ed25519.PublicKey), []byte("off"),
			sigOf(pa, randomScalar(rng)), false)
	}

	// 7. Wrong signature lengths (the key is fine).
	{
		priv := ed25519.NewKeyFromSeed(mustHex(rfc8032[2].seed))
		pub := priv.Public().(ed25519.PublicKey)
		sig := ed25519.Sign(priv, nil)
		add("valid, for the length cases", pub, nil, sig, true)
		add("signature of 0 bytes", pub, nil, nil, false)
		add("signature of 63 bytes", pub, nil, sig[:63], false)
		add("signature of 65 bytes", pub, nil, append(append([]byte(nil), sig...), 0), false)
	}
	return cases
}
