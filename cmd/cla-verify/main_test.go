package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"cla-verify": main, "cla-fixture": fixtureMain})
}

// TestScripts runs testdata/script/*.txtar: what a user types, what they see.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Setup: func(e *testscript.Env) error {
		e.Setenv("CLA_LANG", "")
		e.Setenv("LANG", "C.UTF-8")
		e.Setenv("CLA_STORE", e.WorkDir+"/store/trust.db")
		e.Setenv("HOME", e.WorkDir+"/home")
		e.Setenv("CLA_ROOTS", "")
		e.Setenv("CLA_ISSUER_URL", "http://127.0.0.1:9") // nothing listens: offline
		return nil
	}})
}
