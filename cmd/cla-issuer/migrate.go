package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// migrate is `cla-issuer database migrate`: the bbolt file of the data
// folder copied into an empty PostgreSQL database, in one transaction
// (store.Migrate). The issuer must be stopped; afterwards start it (and
// its replicas) with -database.
func (c *sub) migrate(args []string) error {
	fs := flag.NewFlagSet("cla-issuer database migrate", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	w := c.dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *w.database == "" {
		return fmt.Errorf("give the PostgreSQL database to fill: -database postgres://… (or CLA_DATABASE_URL)")
	}
	path := filepath.Join(*w.data, "db_micertificado")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no issuer database at %s (use -data)", path)
	}
	src, err := store.OpenBolt(path)
	if err != nil {
		return err
	}
	defer src.Close()
	ctx := context.Background()
	dst, err := store.OpenPostgres(ctx, *w.database)
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	err = store.Migrate(ctx, src, dst, func(rows int) {
		fmt.Fprintf(c.stdout, "migrate: %d records copied (%s)\n", rows, time.Since(start).Round(time.Second))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "migrate: done in %s. Start the issuer with -database; keep %s as the backup of the move.\n",
		time.Since(start).Round(time.Second), path)
	return nil
}
