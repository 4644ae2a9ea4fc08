package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/minedu-cla/cla/scan"
)

// scanFiles prints the text of every QR code in each file, one a line, as
// `zbarimg --raw -q` does: the stand-in for `cla-verify scan --raw` until
// that exists. It exits 4 when no file held a code, like zbarimg.
func scanFiles(paths []string) error {
	found := false
	for _, p := range paths {
		texts, err := scan.File(context.Background(), p)
		if err != nil && !errors.Is(err, scan.ErrNoCode) {
			fmt.Fprintf(os.Stderr, "qrtool: %s: %v\n", p, err)
		}
		for _, t := range texts {
			fmt.Println(t)
			found = true
		}
	}
	if !found {
		os.Exit(4)
	}
	return nil
}
