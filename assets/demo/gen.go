//go:build ignore

// gen writes the demo data into the current folder: go generate ./assets/demo
package main

import (
	"log"

	"github.com/minedu-cla/cla/issuer/registry/synth"
)

func main() {
	if err := synth.Export(".", synth.DefaultConfig()); err != nil {
		log.Fatal(err)
	}
}
