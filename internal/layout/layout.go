// Package layout checks the repository's import rules (docs/DESIGN.md,
// "Parts and the direction of imports") on the package graph that
// `go list` reports, and names the file that breaks one. Its test runs the
// check on this module in every `make test`.
package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Package is what the check needs of one package of `go list -json`.
type Package struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string // direct imports of the non-test files
	Deps       []string // every package the non-test files depend on, transitively
}

// A Rule forbids the packages under From (folders relative to the module
// root; "" is the root package alone, "*" every package), except those
// under Skip, to depend, directly or not, on any package under Never ("*":
// any package of the module) but those under Allow.
type Rule struct {
	Why    string
	Direct bool // only direct imports count (a package may reach Never through another)
	From   []string
	Skip   []string
	Never  []string
	Allow  []string
}

// kits are the folders that never ship: test kits, developer tools and
// the end-to-end tests.
var kits = []string{"internal", "tools", "e2e"}

// Rules are the repository's import rules. Tests (_test.go files) may
// import anything; only the files that ship are checked.
var Rules = []Rule{
	{Why: "issuer never imports verifier", From: []string{"issuer", "cmd/cla-issuer"}, Never: []string{"verifier", "cmd", "app", ""}},
	{Why: "verifier never imports issuer", From: []string{"verifier", "cmd/cla-verify"}, Never: []string{"issuer", "cmd", "app", ""}},
	{Why: "the app never imports issuer", From: []string{"", "app"}, Never: []string{"issuer", "cmd"}},
	{Why: "crypto imports nothing of the project", From: []string{"crypto"}, Never: []string{"*"}, Allow: []string{"crypto"}},
	{Why: "the constancia is a leaf of the issuer's domain: it imports only crypto", From: []string{"issuer/constancia"}, Never: []string{"*"}, Allow: []string{"crypto"}},
	{Why: "the web reaches the store only through issuance and manage", Direct: true, From: []string{"issuer/web"}, Never: []string{"issuer/store"}},
	{Why: "assets imports nothing of the project", From: []string{"assets"}, Never: []string{"*"}, Allow: []string{"assets"}},
	{Why: "QR reading is shared by both sides and imports neither", From: []string{"scan"}, Never: []string{"issuer", "verifier", "app", "cmd", ""}},
	{Why: "only tests and tools import the test kits (internal/)", From: []string{"*"}, Skip: kits, Never: []string{"internal"}},
	{Why: "nothing that ships imports the developer tools (tools/)", From: []string{"*"}, Skip: kits, Never: []string{"tools"}},
}

// A Violation is one broken rule, named by the file that imports the way in.
type Violation struct {
	File   string // relative to the module root
	Import string // the direct import, relative to the module root
	Via    string // the forbidden package reached through it, if not Import itself
	Rule   string
}

func (v Violation) String() string {
	if v.Via != "" && v.Via != v.Import {
		return fmt.Sprintf("%s imports %s, which depends on %s: %s", v.File, v.Import, v.Via, v.Rule)
	}
	return fmt.Sprintf("%s imports %s: %s", v.File, v.Import, v.Rule)
}

// List runs `go list -json ./...` in the module at dir and returns its
// packages and the module path.
func List(dir string) (module string, pkgs []Package, err error) {
	out, err := goCmd(dir, "list", "-m")
	if err != nil {
		return "", nil, err
	}
	module = strings.TrimSpace(string(out))
	out, err = goCmd(dir, "list", "-e", "-json", "./...")
	if err != nil {
		return "", nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return "", nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return module, pkgs, nil
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// Check applies rules to the packages of module and returns every
// violation, sorted by file.
func Check(module string, pkgs []Package, rules []Rule) ([]Violation, error) {
	rel := func(path string) (string, bool) {
		if path == module {
			return "", true
		}
		r, ok := strings.CutPrefix(path, module+"/")
		return r, ok
	}
	deps := make(map[string]map[string]bool, len(pkgs))
	for _, p := range pkgs {
		set := make(map[string]bool, len(p.Deps))
		for _, d := range p.Deps {
			set[d] = true
		}
		deps[p.ImportPath] = set
	}
	var out []Violation
	for _, p := range pkgs {
		from, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		for _, r := range rules {
			if !r.covers(from) {
				continue
			}
			targets := p.Deps
			if r.Direct {
				targets = p.Imports
			}
			for _, d := range targets {
				to, ok := rel(d)
				if !ok || to == from || !r.forbids(to) {
					continue
				}
				v, err := blame(p, d, deps, rel)
				if err != nil {
					return nil, err
				}
				v.Rule = r.Why
				out = append(out, v)
			}
		}
	}
	return dedupe(out), nil
}

// covers: from is one of the packages the rule constrains.
func (r Rule) covers(from string) bool {
	return !under(from, r.Skip) && under(from, r.From)
}

// forbids: the rule forbids depending on to.
func (r Rule) forbids(to string) bool {
	return !under(to, r.Allow) && under(to, r.Never)
}

// under: path is one of folders or inside one ("*" matches every path;
// "" only the root package).
func under(path string, folders []string) bool {
	for _, f := range folders {
		if f == "*" || f == path || (f != "" && strings.HasPrefix(path, f+"/")) {
			return true
		}
	}
	return false
}

// blame finds the file of p that imports the way to the forbidden dep.
func blame(p Package, dep string, deps map[string]map[string]bool, rel func(string) (string, bool)) (Violation, error) {
	via, _ := rel(dep)
	dir, _ := rel(p.ImportPath)
	for _, imp := range p.Imports {
		if imp != dep && !deps[imp][dep] {
			continue
		}
		name, err := importingFile(p, imp)
		if err != nil {
			return Violation{}, err
		}
		impRel, ok := rel(imp)
		if !ok {
			impRel = imp
		}
		return Violation{File: join(dir, name), Import: impRel, Via: via}, nil
	}
	return Violation{File: dir + "/", Import: via, Via: via}, nil
}

// importingFile returns the name of the first non-test file of p that
// imports imp.
func importingFile(p Package, imp string) (string, error) {
	files := append(append([]string{}, p.GoFiles...), p.CgoFiles...)
	sort.Strings(files)
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, name), nil, parser.ImportsOnly)
		if err != nil {
			return "", err
		}
		for _, s := range f.Imports {
			if v, _ := strconv.Unquote(s.Path.Value); v == imp {
				return name, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no file imports %s", p.ImportPath, imp)
}

// join names a file of the package in folder dir ("" for the root).
func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// dedupe keeps one violation per file, import and rule: the direct one if
// the import itself is forbidden, else the first forbidden package it leads
// to. The result is sorted.
func dedupe(vs []Violation) []Violation {
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.File+a.Import+a.Rule != b.File+b.Import+b.Rule {
			return a.String() < b.String()
		}
		if (a.Via == a.Import) != (b.Via == b.Import) {
			return a.Via == a.Import
		}
		return a.Via < b.Via
	})
	var out []Violation
	for _, v := range vs {
		if n := len(out); n > 0 && out[n-1].File == v.File && out[n-1].Import == v.Import && out[n-1].Rule == v.Rule {
			continue
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
