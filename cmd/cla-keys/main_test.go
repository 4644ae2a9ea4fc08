package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"cla-keys": main})
}

// TestScripts runs testdata/script/*.txtar: what an operator types, what
// they see.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: func(e *testscript.Env) error {
		e.Setenv("CLA_LANG", "")
		e.Setenv("LANG", "C.UTF-8")
		return nil
	}})
}
