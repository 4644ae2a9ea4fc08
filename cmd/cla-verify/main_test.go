package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/minedu-cla/cla/verifier/setup"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"cla-verify": main, "cla-fixture": fixtureMain,
		"cla-verify-release": releaseMain})
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

// releaseMain is cla-verify as a production build: a root key embedded
// (32 bytes of 0x01, fingerprint EB6P X112 RG3Z PV89 GT8F 24RB FQPQ XGQQ).
func releaseMain() {
	setup.Embedded = "# MINEDU\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\n"
	main()
}
