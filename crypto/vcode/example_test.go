package vcode_test

import (
	"fmt"

	"github.com/minedu-cla/cla/crypto/vcode"
)

func ExampleNormalize() {
	// What a person typed, with look-alikes and separators.
	code, err := vcode.Normalize("7k3m 9qxt-2hbn-m")
	fmt.Println(code, err, vcode.Format(code))
	// One symbol mistyped.
	_, err = vcode.Normalize("7K3M-9QXT-2HBN-N")
	fmt.Println(err)
	// Output:
	// 7K3M9QXT2HBNM <nil> 7K3M-9QXT-2HBN-M
	// vcode: check symbol does not match
}
