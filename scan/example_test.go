package scan_test

import (
	"context"
	"fmt"

	"github.com/minedu-cla/cla/scan"
	qrcode "github.com/skip2/go-qrcode"
)

func ExampleBytes() {
	// A PNG, as read from a file, an upload or a PDF page's image.
	png, err := qrcode.Encode("CLA1:EXAMPLE", qrcode.High, 256)
	if err != nil {
		panic(err)
	}
	texts, err := scan.Bytes(context.Background(), png)
	if err != nil {
		panic(err)
	}
	for _, t := range texts {
		fmt.Println(t)
	}
	// Output: CLA1:EXAMPLE
}
