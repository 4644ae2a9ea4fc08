package cose_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/minedu-cla/cla/crypto/cose"
)

func Example() {
	seed := sha256.Sum256([]byte("example"))
	priv := ed25519.NewKeyFromSeed(seed[:])
	msg, _ := cose.SignDocument(priv, "application/example", []byte("hola"))

	m, err := cose.DecodeDocument(msg, "application/example")
	fmt.Println(string(m.Payload), err, m.Verify(priv.Public().(ed25519.PublicKey), nil))

	_, err = cose.DecodeDocument(msg[1:], "application/example") // without tag 18
	fmt.Println(err)
	// Output:
	// hola <nil> <nil>
	// cose: malformed COSE_Sign1: not tagged as COSE_Sign1 (tag 18)
}
