package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/minedu-cla/cla/issuer/server"
)

// preload is cla-load -preload N: it fills an issuer's store (stopped, on
// bbolt) with N constancias of a synthetic population before a run, for
// the national-scale comparison (make load-scale).
func preload(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cla-load -preload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("preload", 0, "constancias to preload")
	var cfg server.Config
	fs.StringVar(&cfg.DataDir, "data", "data", "the issuer's data folder (keys, secret, the bbolt file)")
	fs.StringVar(&cfg.Database, "database", "", "the issuer's PostgreSQL database (postgres://…), instead of the bbolt file")
	fs.IntVar(&cfg.StatusSize, "status-size", 0, "status list size in bits, as the issuer's -status-size")
	seed := fs.Uint64("seed", 20261203, "the synthetic population's seed (not the demo's)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *n < 1 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "cla-load: -preload needs a positive count and no other arguments")
		return 2
	}
	cfg.DevKeys = true
	start, last := time.Now(), time.Now()
	err := server.Preload(ctx, cfg, *n, *seed, func(done int) {
		if time.Since(last) >= 5*time.Second || done >= *n {
			last = time.Now()
			el := time.Since(start)
			fmt.Fprintf(stdout, "preload: %d of %d constancias (%.0f a second, %s)\n", done, *n,
				float64(done)/el.Seconds(), el.Round(time.Second))
		}
	})
	if err != nil {
		fmt.Fprintln(stderr, "cla-load:", err)
		return 1
	}
	return 0
}
