package base45_test

import (
	"fmt"

	"github.com/minedu-cla/cla/crypto/base45"
)

func Example() {
	text := base45.Encode([]byte("Hello!!"))
	fmt.Println(text)
	b, err := base45.Decode(text)
	fmt.Println(string(b), err)
	// Output:
	// %69 VD92EX0
	// Hello!! <nil>
}
