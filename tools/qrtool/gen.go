package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"

	"github.com/minedu-cla/cla/internal/degrade"
)

// entry is one line of manifest.json.
type entry struct {
	Name     string   `json:"name"`
	Category string   `json:"category"`
	Texts    []string `json:"texts"`
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	seed := fs.Uint64("seed", 1, "seed of the set")
	n := fs.Int("n", 11, "cases per category")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	dir := fs.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cases, err := degrade.RenderAll(degrade.Specs(*seed, *n), runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	var manifest []entry
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.Data, 0o644); err != nil {
			return err
		}
		manifest = append(manifest, entry{c.Name, c.Category, c.Texts})
	}
	b, err := json.MarshalIndent(manifest, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}
