package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
)

func (c *cli) verify(ctx context.Context, args []string) error {
	fs := c.flags("verify")
	text := fs.String("text", "", "the text of a QR code (CLA1:… or HTTPS://…/V#…)")
	fs.StringVar(&c.cfg.jwks, "jwks", "", "verify with the keys of this JWKS file only, no store")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if (*text == "") == (len(files) == 0) {
		return usagef("%s", i18n.T(c.cfg.lang, "verify.err.args"))
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() {
			return errors.New(i18n.T(c.cfg.lang, "verify.err.nofile", f))
		}
	}
	e, err := c.openEngine(ctx, false)
	if err != nil {
		return err
	}
	var results []verifier.Result
	if *text != "" {
		results = append(results, e.VerifyText(*text))
	}
	for _, f := range files {
		results = append(results, e.VerifyFile(ctx, f)...)
	}
	if c.cfg.json {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		valid := 0
		for _, r := range results {
			c.printResult(r)
			if r.Status == "valid" {
				valid++
			}
		}
		if len(results) > 1 {
			fmt.Fprintln(c.stdout, i18n.T(c.cfg.lang, "cli.summary", valid, len(results)))
		}
	}
	for _, r := range results {
		if code := verifier.ExitCode(r.Status); code != 0 {
			return exitStatus(code)
		}
	}
	return nil
}

// openEngine opens the engine, warning (not failing) when the stored trust
// data no longer verifies: the engine starts empty and a sync repairs it.
func (c *cli) openEngine(ctx context.Context, needStore bool) (*verifier.Engine, error) {
	e, err := c.cfg.engine(ctx, needStore)
	var damaged *verifier.DamagedError
	if errors.As(err, &damaged) {
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.damaged", damaged.Moved))
		return e, nil
	}
	if errors.Is(err, verifier.ErrCorruptStore) {
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.corrupt"))
		return e, nil
	}
	return e, err
}
