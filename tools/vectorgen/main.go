// Command gen writes the test vectors into testdata/vectors (run from the
// repository root: make vectors).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/minedu-cla/cla/internal/vectors"
)

func main() {
	set, err := vectors.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vectors:", err)
		os.Exit(1)
	}
	files, err := set.Files()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vectors:", err)
		os.Exit(1)
	}
	if err := os.RemoveAll(vectors.Dir); err != nil {
		fmt.Fprintln(os.Stderr, "vectors:", err)
		os.Exit(1)
	}
	for name, b := range files {
		p := filepath.Join(vectors.Dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "vectors:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "vectors:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("wrote %d vectors to %s\n", len(files), vectors.Dir)
}
