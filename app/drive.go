package app

import (
	"github.com/minedu-cla/cla/i18n"
)

// The exported methods below drive the window as a person would: the
// screenshot tool (tools/cla-app-shots) uses them. Call them on the Fyne
// thread (fyne.Do).

// Tabs, for ShowTab.
const (
	TabScan     = tabScan
	TabFiles    = tabFiles
	TabCode     = tabCode
	TabTrust    = tabTrust
	TabHistory  = tabHistory
	TabSettings = tabSettings
)

// ShowTab leaves any result page and shows tab i.
func (u *UI) ShowTab(i int) { u.selectTab(i) }

// Open verifies files or folders, as if dropped on the window.
func (u *UI) Open(paths []string) { u.openPaths(paths) }

// Back leaves the result page ("verify another").
func (u *UI) Back() { u.back() }

// SetLanguage switches every string to l.
func (u *UI) SetLanguage(l i18n.Lang) { u.setLang(l) }

// ScrollResult scrolls the result page to a fraction of its length.
func (u *UI) ScrollResult(fraction float32) {
	s := u.resultScroll
	if s == nil || u.showing == nil {
		return
	}
	s.Offset.Y = max(0, fraction*(s.Content.MinSize().Height-s.Size().Height))
	s.Refresh()
}

// Showing reports whether a result page is on screen.
func (u *UI) Showing() bool { return u.showing != nil }
