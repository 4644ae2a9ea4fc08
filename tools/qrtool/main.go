// Command qrtool writes the degraded image set and decodes pictures with
// internal/scan, so that both can be timed as whole processes next to
// zbarimg (hyperfine):
//
//	go run ./tools/qrtool gen -n 11 DIR   # DIR/*.png|jpg + DIR/manifest.json
//	go run ./tools/qrtool scan FILE...    # like zbarimg --raw -q
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "scan":
		err = scanFiles(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qrtool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: qrtool gen [-seed N] [-n N] DIR | qrtool scan FILE...")
	os.Exit(2)
}
