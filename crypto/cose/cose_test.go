package cose

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))

// rawMessage builds a tagged COSE_Sign1 from raw parts, signing prot and
// payload properly, so each case breaks exactly one rule.
func rawMessage(prot, unprot, payload []byte) []byte {
	sig := ed25519.Sign(testKey, sigStructure(prot, nil, payload))
	b := []byte{tagSign1, 0x84}
	b = appendBstr(b, prot)
	b = append(b, unprot...)
	b = appendBstr(b, payload)
	return appendBstr(b, sig)
}

func TestSignDecodeVerify(t *testing.T) {
	t.Parallel()
	kid := KeyID(testKey.Public().(ed25519.PublicKey))
	msg, err := Sign(testKey, Headers{KeyID: kid}, Headers{}, []byte("hola"), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.KeyID(), kid) || m.Protected.Alg != AlgEdDSA || string(m.Payload) != "hola" {
		t.Fatalf("decoded %+v", m)
	}
	if err := m.Verify(testKey.Public().(ed25519.PublicKey), nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(testKey.Public().(ed25519.PublicKey), []byte("other context")); !errors.Is(err, ErrSignature) {
		t.Fatalf("verify with another external AAD: %v", err)
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, 32))
	if err := m.Verify(other.Public().(ed25519.PublicKey), nil); !errors.Is(err, ErrSignature) {
		t.Fatalf("verify with another key: %v", err)
	}
}

func TestSignRejects(t *testing.T) {
	t.Parallel()
	if _, err := Sign(testKey, Headers{Alg: -7}, Headers{}, nil, nil); err == nil {
		t.Error("signed with ES256")
	}
	if _, err := Sign(testKey, Headers{}, Headers{Alg: AlgEdDSA}, nil, nil); err == nil {
		t.Error("signed with an unprotected alg")
	}
	if _, err := Sign(testKey[:10], Headers{}, Headers{}, nil, nil); err == nil {
		t.Error("signed with a short key")
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	good := []byte{0xa2, 0x01, 0x27, 0x04, 0x42, 0x31, 0x31} // {1: -8, 4: h'3131'}
	empty := []byte{0xa0}
	valid := rawMessage(good, empty, []byte("x"))
	tests := []struct {
		name string
		msg  []byte
	}{
		{"empty", nil},
		{"untagged", valid[1:]},
		{"tag 98 (COSE_Sign)", append([]byte{0xd8, 0x62}, valid[1:]...)},
		{"tag 18 in two bytes", append([]byte{0xd8, 0x12}, valid[1:]...)},
		{"trailing byte", append(bytes.Clone(valid), 0x00)},
		{"truncated", valid[:len(valid)-1]},
		{"alg ES256", rawMessage([]byte{0xa1, 0x01, 0x26}, empty, []byte("x"))},
		{"no alg", rawMessage([]byte{0xa1, 0x04, 0x41, 0x31}, empty, []byte("x"))},
		{"empty protected", rawMessage(nil, empty, []byte("x"))},
		{"alg unprotected", rawMessage([]byte{0xa1, 0x04, 0x41, 0x31}, []byte{0xa1, 0x01, 0x27}, []byte("x"))},
		{"alg as text", rawMessage([]byte{0xa1, 0x01, 0x65, 'E', 'd', 'D', 'S', 'A'}, empty, []byte("x"))},
		{"duplicate key", rawMessage([]byte{0xa2, 0x01, 0x27, 0x01, 0x27}, empty, []byte("x"))},
		{"unsorted keys", rawMessage([]byte{0xa2, 0x04, 0x41, 0x31, 0x01, 0x27}, empty, []byte("x"))},
		{"non-shortest int", rawMessage([]byte{0xa1, 0x01, 0x38, 0x07}, empty, []byte("x"))},
		{"indefinite map", rawMessage([]byte{0xbf, 0x01, 0x27, 0xff}, empty, []byte("x"))},
		{"unknown critical", rawMessage([]byte{0xa2, 0x01, 0x27, 0x02, 0x81, 0x18, 0x63}, empty, []byte("x"))},
		{"crit unprotected", rawMessage(good, []byte{0xa1, 0x02, 0x81, 0x01}, []byte("x"))},
		{"empty crit", rawMessage([]byte{0xa2, 0x01, 0x27, 0x02, 0x80}, empty, []byte("x"))},
		{"kid in both", rawMessage(good, []byte{0xa1, 0x04, 0x41, 0x31}, []byte("x"))},
		{"empty kid", rawMessage([]byte{0xa2, 0x01, 0x27, 0x04, 0x40}, empty, []byte("x"))},
		{"unprotected not a map", rawMessage(good, []byte{0x80}, []byte("x"))},
		{"detached payload", func() []byte {
			b := []byte{tagSign1, 0x84}
			b = appendBstr(b, good)
			b = append(b, 0xa0, 0xf6)
			return appendBstr(b, make([]byte, 64))
		}()},
		{"short signature", func() []byte {
			b := []byte{tagSign1, 0x84}
			b = appendBstr(b, good)
			b = append(b, 0xa0, 0x41, 'x')
			return appendBstr(b, make([]byte, 63))
		}()},
		{"three elements", func() []byte {
			b := []byte{tagSign1, 0x83}
			b = appendBstr(b, good)
			b = append(b, 0xa0)
			return appendBstr(b, make([]byte, 64))
		}()},
		{"oversize", append([]byte{tagSign1}, make([]byte, MaxMessage)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if m, err := Decode(tt.msg); !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode = %+v, %v; want ErrMalformed", m, err)
			}
		})
	}
	if _, err := Decode(valid); err != nil {
		t.Fatalf("the unbroken message: %v", err)
	}
}

func TestUnknownNonCriticalHeaderIgnored(t *testing.T) {
	t.Parallel()
	// {1: -8, 99: 0, "x": 1}: RFC 9052 §3 says to ignore what is not critical.
	prot := []byte{0xa3, 0x01, 0x27, 0x18, 0x63, 0x00, 0x61, 'x', 0x01}
	m, err := Decode(rawMessage(prot, []byte{0xa0}, []byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(testKey.Public().(ed25519.PublicKey), nil); err != nil {
		t.Fatal(err)
	}
}

// TestCOSEWGExample checks this package against the COSE Working Group's
// published Ed25519 example (cose-wg/Examples eddsa-sig-01): the same input
// signed with the same key gives the same bytes, and the published bytes
// verify.
func TestCOSEWGExample(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "..", "shared", "data", "cose-wg", "eddsa-sig-01.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("reference data not present:", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Input struct {
			Plaintext string `json:"plaintext"`
			Sign0     struct {
				Key struct {
					X string `json:"x_hex"`
					D string `json:"d_hex"`
				} `json:"key"`
				Unprotected struct {
					Kid string `json:"kid"`
				} `json:"unprotected"`
				Protected struct {
					Ctyp uint64 `json:"ctyp"`
				} `json:"protected"`
			} `json:"sign0"`
		} `json:"input"`
		Intermediates struct {
			ToBeSign string `json:"ToBeSign_hex"`
		} `json:"intermediates"`
		Output struct {
			CBOR string `json:"cbor"`
		} `json:"output"`
	}
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	in := ex.Input.Sign0
	seed, _ := hex.DecodeString(in.Key.D)
	pub, _ := hex.DecodeString(in.Key.X)
	priv := ed25519.NewKeyFromSeed(seed)
	want, _ := hex.DecodeString(ex.Output.CBOR)

	m, err := Decode(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(pub, nil); err != nil {
		t.Fatalf("published example does not verify: %v", err)
	}
	tbs, _ := hex.DecodeString(ex.Intermediates.ToBeSign)
	if got := sigStructure(m.RawProtected, nil, m.Payload); !bytes.Equal(got, tbs) {
		t.Fatalf("Sig_structure\n got %x\nwant %x", got, tbs)
	}
	ctyp := in.Protected.Ctyp
	got, err := Sign(priv, Headers{ContentFormat: &ctyp}, Headers{KeyID: []byte(in.Unprotected.Kid)},
		[]byte(ex.Input.Plaintext), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Sign\n got %x\nwant %x", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	pub := testKey.Public().(ed25519.PublicKey)
	signed := map[string]bool{} // protected||payload pairs that testKey signed
	add := func(msg []byte) {
		m, err := Decode(msg)
		if err != nil {
			f.Fatal(err)
		}
		signed[string(m.RawProtected)+"|"+string(m.Payload)] = true
		f.Add(msg)
	}
	valid, _ := Sign(testKey, Headers{KeyID: KeyID(pub), ContentType: "application/cbor"}, Headers{}, []byte("hola"), nil)
	add(valid)
	add(rawMessage([]byte{0xa2, 0x01, 0x27, 0x02, 0x81, 0x04}, []byte{0xa0}, []byte{}))
	add(rawMessage([]byte{0xa1, 0x01, 0x27}, []byte{0xa1, 0x04, 0x42, 0x31, 0x31}, []byte("This is the content.")))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		if m.Protected.Alg != AlgEdDSA || len(m.Signature) != 64 || m.Payload == nil {
			t.Fatalf("accepted %+v", m)
		}
		// Only what testKey signed may verify (the unprotected bucket is
		// not signed, so it may vary).
		if m.Verify(pub, nil) == nil && !signed[string(m.RawProtected)+"|"+string(m.Payload)] {
			t.Fatalf("forged message verifies: %x", b)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	pub := testKey.Public().(ed25519.PublicKey)
	payload := bytes.Repeat([]byte{0x61}, 250)
	msg, _ := Sign(testKey, Headers{KeyID: KeyID(pub)}, Headers{}, payload, nil)
	b.Run("baseline=ed25519.Verify", func(b *testing.B) {
		tbs := sigStructure([]byte{0xa1, 0x01, 0x27}, nil, payload)
		sig := ed25519.Sign(testKey, tbs)
		for b.Loop() {
			if !ed25519.Verify(pub, tbs, sig) {
				b.Fatal("bad")
			}
		}
	})
	b.Run("DecodeVerify", func(b *testing.B) {
		for b.Loop() {
			m, err := Decode(msg)
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Verify(pub, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
