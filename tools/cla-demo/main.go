// Command cla-demo signs a sample constancia with development keys, prints
// its QR code and verifies it (make run, until the issuer service exists).
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/tools/demo"
)

func main() {
	dir := flag.String("data", "data/dev", "folder for the development keys and outputs")
	lang := flag.String("lang", "", "language: es, en or qu (default from the environment)")
	flag.Parse()
	l := i18n.FromEnv()
	if v, ok := i18n.Parse(*lang); ok {
		l = v
	}
	o := demo.Options{Dir: *dir, Lang: l, Now: time.Now, Rand: rand.Reader, KDF: keyfile.DefaultParams}
	if err := demo.Run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cla-demo:", err)
		os.Exit(1)
	}
}
