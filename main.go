// Command cla-verificador is the desktop verifier of the Constancia de
// Logros de Aprendizaje. The UI lives in package app; this file only wires
// it to Fyne's driver (fyne package reads FyneApp.toml beside it).
//
//	cla-verificador [--root KEY|FILE] [--issuer URL] [--store FILE] [--lang es|en|qu] [FILE...]
package main

import (
	"context"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/minedu-cla/cla/app"
	"github.com/minedu-cla/cla/app/config"
	// Before Fyne reads the locale in its init: see package locale.
	_ "github.com/minedu-cla/cla/app/locale"
)

func main() {
	cfg, err := config.Parse(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	a := fyneapp.NewWithID("pe.gob.minedu.cla.verificador")
	u := app.New(a, app.FromConfig(context.Background(), cfg))
	a.Lifecycle().SetOnStarted(func() { u.Start(cfg.Files) })
	u.Window().ShowAndRun()
}
