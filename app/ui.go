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
	"github.com/minedu-cla/cla/internal/i18n"
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

	showing      *shown // the result on screen, nil on the tabs
	resultScroll *container.Scroll
	sync         syncState
	ctx          context.Context
	cancel       context.CancelFunc
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
// files given on the command line.
func (u *UI) Start(files []string) {
	if len(files) > 0 {
		u.openPaths(files)
	}
	go u.syncLoop()
}

func (u *UI) close() {
	u.cancel()
	if u.scan != nil {
		u.scan.stop()
	}
}

// build lays the window out in the current language, keeping the state
// (batch list, history, the result on screen).
func (u *UI) build() {
	u.win.SetTitle(u.t("app.title"))
	if u.scan != nil {
		u.scan.stop()
	}
	u.scan = nil
	if u.opts.Cameras != nil && camera.Supported {
		u.scan = newScanScreen(u)
	}
	u.code = newCodeScreen(u)
	u.trust = newTrustScreen(u)
	u.settings = newSettingsScreen(u)
	u.files.build()
	u.history.build()
	var items []*container.TabItem
	add := func(key string, icon fyne.Resource, o fyne.CanvasObject) {
		items = append(items, container.NewTabItemWithIcon(u.t(key), icon, o))
	}
	if u.scan != nil {
		add("app.tab.scan", theme.MediaVideoIcon(), u.scan.view)
	}
	add("app.tab.files", theme.FolderOpenIcon(), u.files.view)
	add("app.tab.code", theme.SearchIcon(), u.code.view)
	add("app.tab.trust", theme.StorageIcon(), u.trust.view)
	add("app.tab.history", theme.HistoryIcon(), u.history.view)
	add("app.tab.settings", theme.SettingsIcon(), u.settings.view)
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

// selectTab shows tab i (a tab index constant; the scan tab may be absent).
func (u *UI) selectTab(i int) {
	if u.scan == nil {
		if i == tabScan {
			i = tabFiles
		}
		i--
	}
	if u.showing != nil {
		u.back()
	}
	if i >= 0 && i < len(u.tabs.Items) {
		u.tabs.SelectIndex(i)
	}
}

// tabChanged starts the camera on the scan tab and stops it elsewhere.
func (u *UI) tabChanged() {
	if u.showing == nil && u.tabs.Selected() != nil && u.tabs.Selected().Content == u.trust.view {
		u.refreshTrust() // the ages shown move on
	}
	u.refreshStatus()
	if u.scan == nil {
		return
	}
	if u.showing == nil && u.tabs.Selected() != nil && u.tabs.Selected().Content == u.scan.view {
		u.scan.start()
	} else {
		u.scan.stop()
	}
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
