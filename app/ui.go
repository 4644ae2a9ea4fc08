// Package app is the desktop verifier's user interface: scan with the
// webcam, open PDFs and images, type a code, see a result that cannot be
// misread, keep the trust data fresh. It calls the verifier engine and
// shows its results; it does no cryptography itself. It imports no Fyne
// driver, so it is tested with fyne.io/fyne/v2/test.
package app

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/cue"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
)

// Options configure the UI.
type Options struct {
	Engine *verifier.Engine
	// OpenErr is what went wrong opening the engine (a store that does
	// not verify, a bad root key): said on the trust screen.
	OpenErr error
	// Roots is how many root keys are pinned.
	Roots int
	// Store is the trust store path, shown in the settings.
	Store string
	// Issuer overrides the saved issuer URL (--issuer, CLA_ISSUER_URL).
	Issuer string
	// Lang overrides the saved language (--lang); else the saved one,
	// else the environment.
	Lang i18n.Lang
	// Cameras lists and opens cameras; nil: no scan screen.
	Cameras camera.System
	// Cue plays the detection sounds; nil: silent.
	Cue cue.Player
	// Now is the clock (default time.Now).
	Now func() time.Time
	// HistoryFile is where the history is kept when the user opts in.
	HistoryFile string
	// Inline runs background work on the calling goroutine (tests).
	Inline bool
	// Reopen opens the engine again after a root is pinned (app/roots.go).
	Reopen func() (*verifier.Engine, int, error)
	// Lookup answers typed codes; default verifier.NewClient(issuer).
	Lookup func(ctx context.Context, issuer, code string) (verifier.Result, error)
}

// UI is the verifier's main window and its state.
type UI struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	lang i18n.Lang

	tabs    *container.AppTabs
	content *fyne.Container // the tabs, or a result page
	status  *widget.Label   // the bottom line: sync state in words

	scan     *scanScreen
	files    *filesScreen
	code     *codeScreen
	trust    *trustScreen
	history  *historyScreen
	settings *settingsScreen

	tabList      []*tab
	showing      *shown // the result on screen, nil on the tabs
	resultScroll *container.Scroll
	sync         syncState
	ctx          context.Context
	cancel       context.CancelFunc
	unwatch      func() // stops the engine's change notices
}

// Tab indexes, in the order of the tabs and of Ctrl+1…6.
const (
	tabScan = iota
	tabFiles
	tabCode
	tabTrust
	tabHistory
	tabSettings
)

// New builds the main window of the verifier. Call Start once it shows.
func New(a fyne.App, o Options) *UI {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lookup == nil {
		o.Lookup = func(ctx context.Context, issuer, code string) (verifier.Result, error) {
			return verifier.NewClient(issuer).Lookup(ctx, code)
		}
	}
	u := &UI{app: a, opts: o}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.lang = u.savedLang()
	u.applyTextSize()
	u.win = a.NewWindow(u.t("app.title"))
	u.win.SetOnDropped(u.dropped)
	u.win.SetOnClosed(u.close)
	u.addShortcuts()
	u.unwatch = o.Engine.OnChange(func() { fyne.Do(u.trustChanged) })
	if o.OpenErr != nil { // said on the status line until the first sync speaks
		u.sync.note, u.sync.bad = u.openErrText(), true
	}
	u.files = newFilesScreen(u)
	u.history = newHistoryScreen(u)
	u.history.load()
	u.build()
	u.win.Resize(fyne.NewSize(960, 720))
	return u
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Start begins the background work: a sync now and every 6 hours, and the
// files given on the command line. With no usable trust data yet (a first
// start), the files wait for that first sync, or they would all come out
// "cannot confirm".
func (u *UI) Start(files []string) {
	st := u.opts.Engine.State()
	switch {
	case len(files) == 0:
	case st.Freshness(u.opts.Now(), u.opts.Engine.Limits()).Stale:
		u.syncThen(func() { u.openPaths(files) })
	default:
		u.openPaths(files)
	}
	if !u.opts.Inline {
		go u.syncLoop()
	}
}

func (u *UI) close() {
	u.cancel()
	u.unwatch()
	if u.scan != nil {
		u.scan.stop()
	}
}

// tab is one tab of the window, built the first time it is shown: laying
// out six screens before the window appears cost ~100 ms of start-up
// (text measuring), a third of it.
type tab struct {
	kind   int
	holder *fyne.Container
	make   func() fyne.CanvasObject
	built  bool
}

// build lays the window out in the current language, keeping the state
// (batch list, history, the result on screen).
func (u *UI) build() {
	u.win.SetTitle(u.t("app.title"))
	if u.scan != nil {
		u.scan.stop()
	}
	u.scan, u.code, u.trust, u.settings = nil, nil, nil, nil
	hasCamera := u.opts.Cameras != nil && camera.Supported
	if hasCamera {
		u.scan = newScanScreen(u) // the settings' camera picker needs it
	}
	u.tabList = nil
	var items []*container.TabItem
	add := func(kind int, key string, icon fyne.Resource, make func() fyne.CanvasObject) {
		t := &tab{kind: kind, holder: container.NewStack(), make: make}
		u.tabList = append(u.tabList, t)
		items = append(items, container.NewTabItemWithIcon(u.t(key), icon, t.holder))
	}
	if hasCamera {
		add(tabScan, "app.tab.scan", theme.MediaVideoIcon(), func() fyne.CanvasObject { return u.scan.view })
	}
	add(tabFiles, "app.tab.files", theme.FolderOpenIcon(), func() fyne.CanvasObject { u.files.build(); return u.files.view })
	add(tabCode, "app.tab.code", theme.SearchIcon(), func() fyne.CanvasObject { u.code = newCodeScreen(u); return u.code.view })
	add(tabTrust, "app.tab.trust", theme.StorageIcon(), func() fyne.CanvasObject { u.trust = newTrustScreen(u); return u.trust.view })
	add(tabHistory, "app.tab.history", theme.HistoryIcon(), func() fyne.CanvasObject { u.history.build(); return u.history.view })
	add(tabSettings, "app.tab.settings", theme.SettingsIcon(), func() fyne.CanvasObject { u.settings = newSettingsScreen(u); return u.settings.view })
	u.files.reset()
	u.history.reset()
	u.tabs = container.NewAppTabs(items...)
	u.tabs.OnSelected = func(*container.TabItem) { u.tabChanged() }
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis
	u.content = container.NewStack(u.tabs)
	u.win.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), u.status), nil, nil, u.content))
	u.refreshStatus()
	if u.showing != nil {
		u.showResult(*u.showing)
	} else {
		u.tabChanged()
	}
}

// tabOf returns the tab of a kind, nil when absent (no camera).
func (u *UI) tabOf(kind int) *tab {
	for _, t := range u.tabList {
		if t.kind == kind {
			return t
		}
	}
	return nil
}

// selected is the kind of the tab on screen, -1 on a result page.
func (u *UI) selected() int {
	i := u.tabs.SelectedIndex()
	if u.showing != nil || i < 0 || i >= len(u.tabList) {
		return -1
	}
	return u.tabList[i].kind
}

// ensure builds a tab's screen if it was never shown.
func (u *UI) ensure(t *tab) {
	if t == nil || t.built {
		return
	}
	t.built = true
	t.holder.Objects = []fyne.CanvasObject{t.make()}
	t.holder.Refresh()
}

// rebuild makes a built tab's screen anew (its data changed).
func (u *UI) rebuild(kind int) {
	if t := u.tabOf(kind); t != nil && t.built {
		t.built = false
		u.ensure(t)
	}
}

// selectTab shows the tab of a kind (tabScan… tabSettings).
func (u *UI) selectTab(kind int) {
	if kind == tabScan && u.tabOf(tabScan) == nil {
		kind = tabFiles
	}
	if u.showing != nil {
		u.back()
	}
	for i, t := range u.tabList {
		if t.kind == kind {
			u.tabs.SelectIndex(i)
			u.tabChanged() // SelectIndex does not call OnSelected for the tab already selected
		}
	}
}

// tabChanged builds the tab shown, refreshes what ages, and runs the
// camera on the scan tab only.
func (u *UI) tabChanged() {
	kind := u.selected()
	if kind == tabTrust {
		u.rebuild(tabTrust) // the ages shown move on
	}
	if kind >= 0 {
		u.ensure(u.tabList[u.tabs.SelectedIndex()])
	}
	u.refreshStatus()
	if u.scan == nil {
		return
	}
	if kind == tabScan {
		u.scan.start()
	} else {
		u.scan.stop()
	}
}

// setEngine puts a newly opened engine in place of the current one (a
// root was pinned): its change notices now reach the UI, and what is on
// screen is judged again with its trust data.
func (u *UI) setEngine(e *verifier.Engine, roots int, openErr error) {
	u.unwatch()
	u.opts.Engine, u.opts.Roots, u.opts.OpenErr = e, roots, openErr
	u.unwatch = e.OnChange(func() { fyne.Do(u.trustChanged) })
	u.trustChanged()
}

// trustChanged judges again what is on screen once a sync or an import
// changed the trust data: the result page and the batch list. No verdict
// stays on screen beside trust data that says otherwise.
func (u *UI) trustChanged() {
	if u.showing != nil && u.showing.Online == "" {
		if s := u.current(*u.showing); s.Result.Trust != u.showing.Result.Trust {
			u.showResult(s)
		}
	}
	u.files.rejudge()
	u.refreshTrust()
}

// t translates key in the UI's language.
func (u *UI) t(key string, args ...any) string { return i18n.T(u.lang, key, args...) }

// bg runs work off the UI thread, then done on it.
func (u *UI) bg(work func(), done func()) {
	if u.opts.Inline {
		work()
		done()
		return
	}
	go func() {
		work()
		fyne.Do(done)
	}()
}

// setLang rebuilds the window in l.
func (u *UI) setLang(l i18n.Lang) {
	if l == u.lang {
		return
	}
	u.lang = l
	u.app.Preferences().SetString(prefLang, string(l))
	u.build()
	u.selectTab(tabSettings)
}
