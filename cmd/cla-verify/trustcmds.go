package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
	"github.com/minedu-cla/cla/verifier/trust"
)

func (c *cli) sync(ctx context.Context, args []string) error {
	fs := c.flags("sync")
	if rest, err := parse(fs, args); err != nil || len(rest) > 0 {
		return orUsage(err, i18n.T(c.cfg.lang, "verify.err.noargs", "sync"))
	}
	e, err := c.openEngine(ctx, true)
	if err != nil {
		return err
	}
	rep, err := e.Sync(ctx, verifier.NewClient(c.cfg.issuer))
	t := func(key string, args ...any) string { return i18n.T(c.cfg.lang, key, args...) }
	switch {
	case errors.Is(err, trust.ErrUpToDate):
		fmt.Fprintln(c.stdout, t("sync.uptodate", c.cfg.issuer))
		c.pinUsed(e)
		return nil
	case errors.Is(err, verifier.ErrOffline):
		fmt.Fprintln(c.stderr, t("sync.offline", c.cfg.issuer))
		return err
	case errors.Is(err, trust.ErrListRejected):
		fmt.Fprintln(c.stderr, t("sync.partial", err))
		c.pinUsed(e)
		return err
	case err != nil:
		return err
	}
	how := t("sync.delta")
	if rep.FullList {
		how = t("sync.full")
	}
	fmt.Fprintln(c.stdout, t("sync.ok", c.cfg.issuer, rep.KeysetFrom, rep.KeysetTo, rep.StatusFrom, rep.StatusTo, how, rep.Bytes))
	c.pinUsed(e)
	return nil
}

func orUsage(err error, msg string) error {
	if err != nil {
		return err
	}
	return usagef("%s", msg)
}

func (c *cli) importBundle(ctx context.Context, args []string) error {
	fs := c.flags("import")
	files, err := parse(fs, args)
	if err != nil || len(files) != 1 {
		return orUsage(err, i18n.T(c.cfg.lang, "verify.err.onebundle"))
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	e, err := c.openEngine(ctx, true)
	if err != nil {
		return err
	}
	err = e.Import(ctx, data, files[0])
	t := func(key string, args ...any) string { return i18n.T(c.cfg.lang, key, args...) }
	switch {
	case errors.Is(err, trust.ErrUpToDate):
		fmt.Fprintln(c.stdout, t("import.uptodate"))
		c.pinUsed(e)
		return nil
	case errors.Is(err, trust.ErrListRejected):
		// Keys kept, list refused: say both, and what the list held now is.
		st := e.State()
		held := t("import.partial.nolist")
		if st.List != nil {
			held = t("import.partial.held", st.List.Seq)
		}
		fmt.Fprintln(c.stderr, t("import.partial", st.Keyset.Seq, t("import.reason."+verifier.RefusalReason(err)), held))
		c.pinUsed(e)
		return exitStatus(exitPartial)
	case errors.Is(err, verifier.ErrRefused):
		fmt.Fprintln(c.stderr, t("import.refused", t("import.reason."+verifier.RefusalReason(err))))
		return exitStatus(exitRefused)
	case err != nil:
		return err
	}
	st := e.State()
	fmt.Fprintln(c.stdout, t("import.ok", st.Keyset.Seq, listSeq(st)))
	c.pinUsed(e)
	return nil
}

func listSeq(st *trust.State) uint64 {
	if st.List == nil {
		return 0
	}
	return st.List.Seq
}

func (c *cli) export(ctx context.Context, args []string) error {
	fs := c.flags("export")
	out := fs.String("o", "", "bundle file to write")
	if rest, err := parse(fs, args); err != nil || len(rest) > 0 || *out == "" {
		return orUsage(err, i18n.T(c.cfg.lang, "export.need"))
	}
	e, err := c.openEngine(ctx, true)
	if err != nil {
		return err
	}
	data, err := e.Export()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	st := e.State()
	fmt.Fprintln(c.stdout, i18n.T(c.cfg.lang, "export.ok", *out, st.Keyset.Seq, listSeq(st)))
	return nil
}

func (c *cli) status(ctx context.Context, args []string) error {
	fs := c.flags("status")
	if rest, err := parse(fs, args); err != nil || len(rest) > 0 {
		return orUsage(err, i18n.T(c.cfg.lang, "verify.err.noargs", "status"))
	}
	e, err := c.openEngine(ctx, true)
	if err != nil {
		return err
	}
	info := statusInfo(e, c.now())
	info.Store = c.cfg.storePath
	if info.RootKeys, err = setup.Roots(c.cfg.roots, c.cfg.storePath); err != nil {
		return err
	}
	if info.RootKeys == nil {
		info.RootKeys = []setup.Root{} // "root_keys": [], not null
	}
	info.RootsFile = setup.RootsFile(c.cfg.storePath)
	if c.cfg.json {
		return writeJSON(c.stdout, info)
	}
	c.printStatus(info)
	return nil
}

func (c *cli) now() time.Time {
	if t, err := time.Parse(time.RFC3339, c.cfg.now); err == nil {
		return t
	}
	return time.Now()
}
