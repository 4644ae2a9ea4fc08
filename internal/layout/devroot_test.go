package layout

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDevRootOnlyInRun: the development issuer's root (data/keys/root.pub)
// is trusted only by the app that `make run` and `make app-run` start, and
// only through --root (used for that run, never pinned); no other make
// target names it; the roots a build embeds (assets/trust/roots.txt) are
// well-formed keys, none twice, and the repository's copy holds none.
func TestDevRootOnlyInRun(t *testing.T) {
	root := filepath.Join("..", "..")
	appRun := regexp.MustCompile(`\$\(GO\) run \. --root data/keys/root\.pub --issuer `)
	// ./data/keys/root.pub, not another issuer's folder under bin/ (a
	// fresh issuer with its own store, as app-first-minute starts).
	devRoot := regexp.MustCompile(`(^|[\s"'=])data/keys/root\.pub`)
	users := map[string]bool{}
	for _, name := range []string{"Makefile", "app.mk"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		target := ""
		for i, line := range strings.Split(string(data), "\n") {
			if m := regexp.MustCompile(`^([a-z][a-z0-9-]*):`).FindStringSubmatch(line); m != nil {
				target = m[1]
			}
			if !devRoot.MatchString(line) || strings.Contains(line, "[ -s data/keys/root.pub ]") {
				continue
			}
			users[target] = true
			if target != "run" && target != "app-run" {
				t.Errorf("%s:%d: target %s trusts the development root", name, i+1, target)
			}
			if !appRun.MatchString(line) {
				t.Errorf("%s:%d: the development root is not passed to the app with --root: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
	if !users["run"] || !users["app-run"] {
		t.Errorf("make run and make app-run should open the app with --root data/keys/root.pub (found in %v)", users)
	}

	data, err := os.ReadFile(filepath.Join(root, "assets", "trust", "roots.txt"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if b, err := base64.RawURLEncoding.DecodeString(l); err != nil || len(b) != 32 {
			t.Errorf("assets/trust/roots.txt: %q is not a base64url Ed25519 public key", l)
		}
		if seen[l] {
			t.Errorf("assets/trust/roots.txt: %q twice", l)
		}
		seen[l] = true
	}
	if len(seen) != 0 {
		t.Errorf("the repository embeds %d root keys: a development build must trust only what it is given; a release adds MINEDU's (docs/APP.md)", len(seen))
	}
}
