// Command cla-verificador is the desktop verifier of the Constancia de
// Logros de Aprendizaje. The UI lives in package app; this file only wires
// it to Fyne's driver (fyne package reads FyneApp.toml beside it).
package main

import (
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/minedu-cla/cla/app"
	"github.com/minedu-cla/cla/internal/i18n"
)

func main() {
	a := fyneapp.NewWithID("pe.gob.minedu.cla.verificador")
	w := app.NewWindow(a, i18n.FromEnv())
	w.ShowAndRun()
}
