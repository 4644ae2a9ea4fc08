// Command hello is the baseline of the start-up measurement: the smallest
// Fyne window, built with the same toolchain and driver as the app.
package main

import (
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := fyneapp.NewWithID("pe.gob.minedu.cla.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello World!"))
	w.ShowAndRun()
}
