// Command hello is the baseline of the start-up measurement: the smallest
// Fyne window, built with the same toolchain and driver as the app; with
// -large, the same window at the app's size (960×720).
package main

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := fyneapp.NewWithID("pe.gob.minedu.cla.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello World!"))
	if len(os.Args) > 1 && os.Args[1] == "-large" { // the app's window size: a fairer baseline
		w.Resize(fyne.NewSize(960, 720))
	}
	w.ShowAndRun()
}
