package layout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepository: this module keeps every rule. A broken rule fails here
// with the file that imports the way in.
func TestRepository(t *testing.T) {
	module, pkgs, err := List(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 50 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	got, err := Check(module, pkgs, Rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range got {
		t.Error(v)
	}
}

// TestBrokenRules builds a small module that breaks each rule, directly
// and through another package, and checks that each break is named by its
// file and rule — and that what is allowed is not reported.
func TestBrokenRules(t *testing.T) {
	dir := t.TempDir()
	const mod = "example.com/m"
	write := func(path, src string) {
		t.Helper()
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkg := func(path string, imports ...string) {
		name := filepath.Base(path)
		if path == "" {
			name, path = "main", "main"
		} else if strings.HasPrefix(path, "cmd/") || strings.HasPrefix(path, "tools/cla-") {
			name = "main"
		}
		src := "package " + name + "\n"
		for _, imp := range imports {
			src += "import _ \"" + mod + "/" + imp + "\"\n"
		}
		if name == "main" {
			src += "func main() {}\n"
		}
		file := path + "/" + filepath.Base(path) + ".go"
		if path == "main" {
			file = "main.go"
		}
		write(file, src)
	}
	write("go.mod", "module "+mod+"\n\ngo 1.26\n")
	pkg("crypto/a", "crypto/b")                      // allowed
	pkg("crypto/b", "atomicfile")                    // crypto imports the project
	pkg("atomicfile")                                //
	pkg("assets", "i18n")                            // assets imports the project
	pkg("i18n", "assets")                            // allowed
	pkg("verifier", "crypto/a")                      // allowed
	pkg("issuer/web", "issuer/glue", "issuer/store") // reaches verifier through glue; imports the store
	pkg("issuer/store")
	pkg("issuer/audit", "issuer/store") // allowed: the web may import audit, which uses the store
	pkg("issuer/glue", "verifier")      // issuer imports verifier
	pkg("verifier/store", "issuer/x")
	pkg("issuer/web/site", "issuer/audit") // allowed: not a direct import of the store
	pkg("issuer/x")
	pkg("app", "verifier", "scan")                                                // allowed
	pkg("", "app", "issuer/x")                                                    // the app's main imports issuer
	pkg("scan", "verifier")                                                       // scan imports a side
	pkg("internal/kit", "verifier")                                               // allowed: a kit may import anything
	pkg("tools/cla-demo", "internal/kit")                                         // allowed: a tool may use a kit
	pkg("cmd/cla-verify", "verifier", "tools/bench")                              // a user's program imports a tool
	pkg("tools/bench")                                                            //
	write("issuer/x/x_test.go", "package x\nimport _ \""+mod+"/internal/kit\"\n") // allowed: a test

	module, pkgs, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if module != mod {
		t.Fatalf("module %q", module)
	}
	vs, err := Check(module, pkgs, Rules)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.String())
	}
	want := []string{
		"assets/assets.go imports i18n: assets imports nothing of the project",
		"cmd/cla-verify/cla-verify.go imports tools/bench: nothing that ships imports the developer tools (tools/)",
		"crypto/a/a.go imports crypto/b, which depends on atomicfile: crypto imports nothing of the project",
		"crypto/b/b.go imports atomicfile: crypto imports nothing of the project",
		"issuer/glue/glue.go imports verifier: issuer never imports verifier",
		"issuer/web/web.go imports issuer/glue, which depends on verifier: issuer never imports verifier",
		"issuer/web/web.go imports issuer/store: the web reaches the store only through issuance and manage",
		"main.go imports issuer/x: the app never imports issuer",
		"scan/scan.go imports verifier: QR reading is shared by both sides and imports neither",
		"verifier/store/store.go imports issuer/x: verifier never imports issuer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
