package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// addShortcuts makes every screen reachable from the keyboard: Ctrl+1…6
// the tabs, Ctrl+O open files, Ctrl+D open a folder, Ctrl+L type a code,
// Ctrl+R sync now, Escape back from a result. Tab and Shift+Tab move
// between the controls of a screen, Space or Enter press a button.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	on := func(k fyne.KeyName, f func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { f() })
	}
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6} {
		on(k, func() { u.selectTab(i) })
	}
	on(fyne.KeyO, func() { u.files.openDialog() })
	on(fyne.KeyD, func() { u.files.folderDialog() })
	on(fyne.KeyL, func() {
		u.selectTab(tabCode)
		u.win.Canvas().Focus(u.code.entry)
	})
	on(fyne.KeyR, func() { u.syncNow() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape && u.showing != nil {
			u.back()
		}
	})
}
