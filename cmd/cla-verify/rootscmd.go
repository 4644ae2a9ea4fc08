package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
)

// trust is `cla-verify trust list | add KEY|FILE | remove FINGERPRINT|KEY`:
// the root keys this verifier trusts, kept in the roots file beside the
// store (setup.RootsFile), the same file the desktop app writes.
func (c *cli) trust(_ context.Context, args []string) error {
	fs := c.flags("trust")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	t := func(key string, args ...any) string { return i18n.T(c.cfg.lang, key, args...) }
	file := setup.RootsFile(c.cfg.storePath)
	switch {
	case len(pos) == 1 && pos[0] == "list":
		roots, err := setup.Roots(c.cfg.roots, c.cfg.storePath)
		if err != nil {
			return err
		}
		if c.cfg.json {
			return writeJSON(c.stdout, struct {
				File  string       `json:"roots_file"`
				Roots []setup.Root `json:"roots"`
			}{file, append([]setup.Root{}, roots...)})
		}
		fmt.Fprintln(c.stdout, t("roots.file", file))
		if len(roots) == 0 {
			fmt.Fprintln(c.stdout, t("roots.none"))
		}
		c.printRoots(roots)
		return nil
	case len(pos) == 2 && pos[0] == "add":
		k, err := setup.ParseRoot(pos[1])
		if err != nil {
			return err
		}
		added, err := setup.Pin(c.cfg.storePath, k)
		if err != nil {
			return err
		}
		if len(added) == 0 {
			fmt.Fprintln(c.stdout, t("roots.already", keyset.Fingerprint(k)))
			return nil
		}
		fmt.Fprintln(c.stdout, t("roots.pinned", keyset.Fingerprint(k), file))
		fmt.Fprintln(c.stdout, t("roots.compare"))
		return nil
	case len(pos) == 2 && pos[0] == "remove":
		k, err := setup.Unpin(c.cfg.storePath, pos[1])
		switch {
		case errors.Is(err, setup.ErrEmbeddedRoot):
			fmt.Fprintln(c.stderr, "cla-verify:", t("roots.embedded", strings.TrimPrefix(err.Error(), setup.ErrEmbeddedRoot.Error()+": ")))
			return exitStatus(exitError)
		case errors.Is(err, setup.ErrNotPinned):
			fmt.Fprintln(c.stderr, "cla-verify:", t("roots.notpinned", pos[1], file))
			return exitStatus(exitError)
		case err != nil:
			return err
		}
		fmt.Fprintln(c.stdout, t("roots.removed", keyset.Fingerprint(k), file))
		return nil
	}
	return usagef("%s", t("verify.help.trust"))
}

// printRoots writes one line a root: its fingerprint and where it comes from.
func (c *cli) printRoots(roots []setup.Root) {
	for _, r := range roots {
		fmt.Fprintf(c.stdout, "  %s  (%s)\n", r.Fingerprint, i18n.T(c.cfg.lang, "roots.source."+r.Source))
	}
}

// pinUsed pins the roots given with --root or CLA_ROOTS that verify the
// keyset the engine now holds, so the next run needs them no more (a
// root that signs nothing held is not pinned), and says so.
func (c *cli) pinUsed(e *verifier.Engine) {
	roots, err := setup.Roots(c.cfg.roots, c.cfg.storePath)
	st := e.State()
	if err != nil || st == nil || len(st.KeysetDocs) == 0 {
		return
	}
	var used []ed25519.PublicKey
	for _, r := range roots {
		if r.Source != setup.SourceFlag && r.Source != setup.SourceEnv {
			continue
		}
		for _, doc := range st.KeysetDocs {
			if _, err := keyset.Open(doc, []ed25519.PublicKey{r.Key}); err == nil {
				used = append(used, r.Key)
				break
			}
		}
	}
	added, err := setup.Pin(c.cfg.storePath, used...)
	if err != nil {
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "roots.pinerr", setup.RootsFile(c.cfg.storePath), err))
		return
	}
	for _, k := range added {
		fmt.Fprintln(c.stdout, i18n.T(c.cfg.lang, "roots.pinned", keyset.Fingerprint(k), setup.RootsFile(c.cfg.storePath)))
	}
}
