// Command cla-app-shots drives the real desktop verifier (Fyne's GL
// driver, a real window) under Xvfb for people to look at it, and times
// its start-up against a hello-world Fyne window. make app-shots and make
// app-bench run it (app.mk); see docs/APP.md.
//
//	cla-app-shots gen DIR                 sample PDFs, images, a bundle and the root key
//	cla-app-shots shots DIR OUT           screenshots of every screen and result into OUT
//	cla-app-shots startup APP HELLO [N]   time to a mapped window, N runs each, alternating
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "gen":
		err = gen(os.Args[2])
	case len(os.Args) == 4 && os.Args[1] == "shots":
		err = shots(os.Args[2], os.Args[3])
	case len(os.Args) >= 4 && os.Args[1] == "startup":
		n := 10
		if len(os.Args) > 4 {
			if n, err = strconv.Atoi(os.Args[4]); err != nil {
				break
			}
		}
		err = startup(os.Args[2], os.Args[3], n)
	default:
		fmt.Fprintln(os.Stderr, "usage: cla-app-shots gen DIR | shots DIR OUT | startup APP HELLO [N]")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cla-app-shots:", err)
		os.Exit(1)
	}
}
