package app

import (
	"errors"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/trust"
)

// syncState is what the UI knows of the trust data's updates.
type syncState struct {
	running bool
	// note is the outcome of the last sync or import, in words.
	note string
	bad  bool
}

// trustScreen shows the trust data: how old, which seqs, how many
// revoked; Sync now, import a bundle (USB stick), export one.
type trustScreen struct {
	u    *UI
	view fyne.CanvasObject
	busy *widget.ProgressBarInfinite
	sync *widget.Button
}

func newTrustScreen(u *UI) *trustScreen {
	s := &trustScreen{u: u}
	s.busy = widget.NewProgressBarInfinite()
	s.sync = widget.NewButtonWithIcon(u.t("app.trust.sync")+"  (Ctrl+R)", theme.ViewRefreshIcon(), u.syncNow)
	s.sync.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon(u.t("app.trust.import"), theme.DownloadIcon(), s.importDialog)
	exp := widget.NewButtonWithIcon(u.t("app.trust.export"), theme.UploadIcon(), s.exportDialog)
	s.view = container.NewVScroll(container.NewVBox(
		heading(u.t("app.trust.title")),
		s.state(),
		s.facts(),
		container.NewHBox(s.sync, imp, exp, u.pinRootButton()),
		s.busy,
		s.note(),
		wrapped(u.t("app.trust.explain")),
	))
	s.showBusy()
	return s
}

func (s *trustScreen) showBusy() {
	if s.u.sync.running {
		s.busy.Show()
		s.busy.Start()
		s.sync.Disable()
		return
	}
	s.busy.Stop()
	s.busy.Hide()
	s.sync.Enable()
}

// state is the verdict on the trust data, in words with an icon.
func (s *trustScreen) state() fyne.CanvasObject {
	u := s.u
	st, lim := u.opts.Engine.State(), u.opts.Engine.Limits()
	f := st.Freshness(u.opts.Now(), lim)
	days := func(d time.Duration) int { return int(d.Hours() / 24) }
	var text string
	var icon fyne.Resource
	var imp widget.Importance
	switch {
	case f.Stale:
		text, icon, imp = u.t("app.trust.stale", u.t("reason."+f.Reason)), theme.ErrorIcon(), widget.DangerImportance
	case f.Old:
		text, icon, imp = u.t("app.trust.old", days(lim.Soft), days(lim.Hard)), theme.WarningIcon(), widget.WarningImportance
	default:
		text, icon, imp = u.t("app.trust.fresh", days(lim.Soft), days(lim.Hard)), theme.ConfirmIcon(), widget.SuccessImportance
	}
	l := wrapped(text)
	l.Importance = imp
	l.TextStyle.Bold = true
	box := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l))
	if u.opts.OpenErr != nil {
		e := wrapped(u.openErrText())
		e.Importance = widget.DangerImportance
		box.Add(e)
	}
	if u.opts.Roots == 0 {
		e := wrapped(u.t("app.trust.noroots"))
		e.Importance = widget.DangerImportance
		box.Add(e)
	}
	return box
}

// openErrText says what went wrong opening the trust store, in words.
func (u *UI) openErrText() string {
	var d *verifier.DamagedError
	switch err := u.opts.OpenErr; {
	case errors.As(err, &d):
		return u.t("app.trust.damaged", d.Moved)
	case errors.Is(err, verifier.ErrCorruptStore):
		return u.t("app.trust.openerr", u.t("verify.err.corrupt"))
	}
	return u.t("app.trust.openerr", u.opts.OpenErr.Error())
}

// facts are the numbers behind the verdict.
func (s *trustScreen) facts() fyne.CanvasObject {
	u := s.u
	st, info, now := u.opts.Engine.State(), u.opts.Engine.SyncInfo(), u.opts.Now()
	form := widget.NewForm()
	add := func(key, value string) {
		v := widget.NewLabel(value)
		v.Wrapping = fyne.TextWrapWord
		form.Append(u.t(key), v)
	}
	last := u.t("trust.never")
	if !info.LastSuccess.IsZero() {
		last = u.t("app.trust.when", stamp(info.LastSuccess), u.age(max(now.Sub(info.LastSuccess), 0)))
	}
	add("app.trust.lastsync", last)
	if info.Source != "" {
		add("app.trust.source", info.Source)
	}
	if st.Keyset != nil {
		add("app.trust.keyset", u.t("app.trust.keysetv", st.Keyset.Seq, day(st.Keyset.ExpiresAt), len(st.Keyset.Keys)))
	} else {
		add("app.trust.keyset", u.t("app.trust.none"))
	}
	if st.List != nil {
		add("app.trust.list", u.t("app.trust.listv", st.List.Seq, stamp(st.List.IssuedAt), u.age(max(now.Sub(st.List.IssuedAt), 0))))
		add("app.trust.revoked", u.t("app.trust.revokedv", st.List.Count(), st.List.Size()))
	} else {
		add("app.trust.list", u.t("app.trust.none"))
	}
	add("app.trust.roots", fmt.Sprint(u.opts.Roots))
	if info.LastError != "" {
		add("app.trust.lasterror", info.LastError)
	}
	return form
}

func (s *trustScreen) note() fyne.CanvasObject {
	l := wrapped(s.u.sync.note)
	if s.u.sync.bad {
		l.Importance = widget.WarningImportance
	}
	return l
}

// refreshTrust rebuilds the trust tab, if built, and the status line.
func (u *UI) refreshTrust() {
	if u.tabs == nil {
		return
	}
	u.rebuild(tabTrust)
	u.refreshStatus()
}

func (s *trustScreen) importDialog() {
	u := s.u
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		path := rc.URI().Path()
		u.importBundle(path)
	}, u.win)
	d.Resize(u.win.Canvas().Size())
	d.Show()
}

// importBundle applies a bundle file with the checks of a sync.
func (u *UI) importBundle(path string) {
	var err error
	u.bg(func() {
		var data []byte
		if data, err = readCapped(path, bundle.MaxSize); err == nil {
			err = u.opts.Engine.Import(u.ctx, data, path)
		}
	}, func() {
		st := u.opts.Engine.State()
		switch {
		case err == nil:
			u.sync.note, u.sync.bad = u.t("import.ok", st.Keyset.Seq, listSeq(st)), false
		case errors.Is(err, trust.ErrUpToDate):
			u.sync.note, u.sync.bad = u.t("import.uptodate"), false
		case errors.Is(err, trust.ErrListRejected):
			held := u.t("import.partial.nolist")
			if st.List != nil {
				held = u.t("import.partial.held", st.List.Seq)
			}
			why := u.t("import.reason." + verifier.RefusalReason(err))
			u.sync.note, u.sync.bad = u.t("import.partial", st.Keyset.Seq, why, held), true
		case errors.Is(err, verifier.ErrRefused):
			u.sync.note, u.sync.bad = u.t("import.refused", u.t("import.reason."+verifier.RefusalReason(err))), true
		default:
			u.sync.note, u.sync.bad = u.t("app.trust.importerr", err.Error()), true
		}
		u.refreshTrust()
	})
}

func readCapped(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: over %d bytes", path, limit)
	}
	return os.ReadFile(path)
}

func listSeq(st *trust.State) uint64 {
	if st.List == nil {
		return 0
	}
	return st.List.Seq
}

func (s *trustScreen) exportDialog() {
	u := s.u
	data, err := u.opts.Engine.Export()
	if err != nil {
		u.sync.note, u.sync.bad = u.t("app.trust.exporterr"), true
		u.refreshTrust()
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		_, err = wc.Write(data)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		st := u.opts.Engine.State()
		if err != nil {
			u.sync.note, u.sync.bad = u.t("app.trust.importerr", err.Error()), true
		} else {
			u.sync.note, u.sync.bad = u.t("export.ok", wc.URI().Path(), st.Keyset.Seq, listSeq(st)), false
		}
		u.refreshTrust()
	}, u.win)
	d.SetFileName("cla-confianza-" + u.opts.Now().Format("2006-01-02") + ".cla")
	d.Resize(u.win.Canvas().Size())
	d.Show()
}

// syncNow syncs with the issuer in the background; the UI stays usable.
func (u *UI) syncNow() { u.syncThen(nil) }

// syncThen syncs, then calls then (if not nil) on the UI thread, whatever
// the outcome. While a sync runs, another is not started (nor then called).
func (u *UI) syncThen(then func()) {
	if u.sync.running {
		return
	}
	u.sync.running = true
	u.refreshTrust()
	issuer := u.issuer()
	var rep verifier.SyncReport
	var err error
	u.bg(func() { rep, err = u.opts.Engine.Sync(u.ctx, verifier.NewClient(issuer)) }, func() {
		u.sync.running = false
		u.sync.note, u.sync.bad = u.syncNote(issuer, rep, err)
		u.refreshTrust()
		if then != nil {
			then()
		}
	})
}

func (u *UI) syncNote(issuer string, rep verifier.SyncReport, err error) (string, bool) {
	kind := u.t("sync.delta")
	if rep.FullList {
		kind = u.t("sync.full")
	}
	switch {
	case err == nil:
		return u.t("sync.ok", issuer, rep.KeysetFrom, rep.KeysetTo, rep.StatusFrom, rep.StatusTo, kind, rep.Bytes), false
	case errors.Is(err, trust.ErrUpToDate):
		return u.t("sync.uptodate", issuer), false
	case errors.Is(err, verifier.ErrOffline):
		return u.t("sync.offline", issuer), true
	case errors.Is(err, trust.ErrListRejected):
		return u.t("sync.partial", err.Error()), true
	}
	return u.t("app.trust.syncerr", issuer, err.Error()), true
}

// syncInterval is how often the trust data is refreshed while the app
// runs: the status list's next_update is 24 h, the soft limit 7 days.
const syncInterval = 6 * time.Hour

// syncLoop syncs at start and every syncInterval. An offline attempt
// changes nothing and is tried again at the next tick.
func (u *UI) syncLoop() {
	t := time.NewTicker(syncInterval)
	defer t.Stop()
	for {
		fyne.Do(u.syncNow)
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshStatus writes the bottom line: the trust data's state in words.
func (u *UI) refreshStatus() {
	if u.status == nil {
		return
	}
	st := u.opts.Engine.State()
	f := st.Freshness(u.opts.Now(), u.opts.Engine.Limits())
	var text string
	switch {
	case u.sync.running:
		text = u.t("app.status.syncing", u.issuer())
	case f.Stale:
		text = u.t("app.status.stale", u.t("reason."+f.Reason))
	case f.Old:
		text = u.t("app.status.old", u.age(f.Age))
	default:
		text = u.t("app.status.fresh", u.age(f.Age))
	}
	if u.sync.note != "" && !u.sync.running {
		text += " · " + u.sync.note
	}
	u.status.SetText(text)
}
