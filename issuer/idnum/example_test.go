package idnum_test

import (
	"fmt"

	"github.com/minedu-cla/cla/issuer/idnum"
)

func ExampleParseDNI() {
	d, err := idnum.ParseDNI("10117410-g")
	if err != nil {
		panic(err)
	}
	digit, letter := d.Check()
	fmt.Println(d, string(digit), string(letter), d.WithCheck())
	_, err = idnum.ParseDNI("10117410-3")
	fmt.Println(err)
	// Output:
	// 10117410 2 G 10117410-2
	// dni: check character does not match
}

func ExampleParse() {
	doc, err := idnum.Parse(idnum.KindCE, "001 234 567")
	fmt.Println(doc, err)
	// Output: CE 001234567 <nil>
}
