package app

import (
	"encoding/json"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/atomicfile"
)

// maxHistory bounds the history: a busy office checks ~100 a day.
const maxHistory = 1000

// historyScreen lists what was verified. By default only in memory, for
// this run: results hold names and DNIs. Kept on disk (HistoryFile) only
// when the user opts in, and deleted from disk when they opt out.
type historyScreen struct {
	u       *UI
	entries []shown // newest first
	view    fyne.CanvasObject
	list    *widget.List
}

func newHistoryScreen(u *UI) *historyScreen { return &historyScreen{u: u} }

func (h *historyScreen) build() {
	u := h.u
	h.list = widget.NewList(func() int { return len(h.entries) }, func() fyne.CanvasObject {
		status := bold("")
		return container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), widget.NewLabel(""), status), nil, widget.NewLabel(""))
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(h.entries) {
			return
		}
		e := h.entries[id]
		row := o.(*fyne.Container)
		left := row.Objects[1].(*fyne.Container)
		left.Objects[0].(*widget.Icon).SetResource(statusIcon(e.Result.Status))
		left.Objects[1].(*widget.Label).SetText(e.At.Local().Format("15:04"))
		st := left.Objects[2].(*widget.Label)
		st.Importance = statusImportance(e.Result.Status)
		st.SetText(u.t("status." + string(e.Result.Status)))
		text := studentName(e.Result)
		if c := e.Result.Constancia; c != nil && c.Code != "" {
			text += " · " + c.Code
		}
		if text == "—" && e.Result.Source != "" { // nothing verified to name: say what was read
			text = filepath.Base(e.Result.Source)
		}
		row.Objects[0].(*widget.Label).SetText(text)
	})
	h.list.OnSelected = func(id widget.ListItemID) {
		h.list.UnselectAll()
		if id < len(h.entries) {
			e := h.entries[id]
			e.fromBatch = false
			u.showResult(e)
		}
	}
	note := "app.history.session"
	if u.app.Preferences().Bool(prefKeepHistory) {
		note = "app.history.kept"
	}
	clear := widget.NewButtonWithIcon(u.t("app.history.clear"), theme.DeleteIcon(), func() {
		h.entries = nil
		h.save()
		h.list.Refresh()
	})
	h.view = container.NewBorder(container.NewVBox(heading(u.t("app.history.title")),
		container.NewBorder(nil, nil, nil, clear, wrapped(u.t(note)))), nil, nil, nil, h.list)
}

func (h *historyScreen) add(s shown) {
	s.fromBatch = false
	h.entries = append([]shown{s}, h.entries...)
	if len(h.entries) > maxHistory {
		h.entries = h.entries[:maxHistory]
	}
	h.save()
	if h.list != nil {
		h.list.Refresh()
	}
}

func (h *historyScreen) kept() bool {
	return h.u.opts.HistoryFile != "" && h.u.app.Preferences().Bool(prefKeepHistory)
}

// load reads the kept history, if the user opted in.
func (h *historyScreen) load() {
	if !h.kept() {
		return
	}
	data, err := os.ReadFile(h.u.opts.HistoryFile)
	if err == nil {
		_ = json.Unmarshal(data, &h.entries)
	}
}

func (h *historyScreen) save() {
	if !h.kept() {
		return
	}
	data, err := json.Marshal(h.entries)
	if err != nil {
		return
	}
	_ = os.MkdirAll(filepath.Dir(h.u.opts.HistoryFile), 0o700)
	_ = atomicfile.WriteFile(h.u.opts.HistoryFile, data, 0o600)
}

// keepChanged follows the opt-in: on, this run's history is written;
// off, the file is deleted.
func (h *historyScreen) keepChanged(on bool) {
	if on {
		h.save()
	} else if h.u.opts.HistoryFile != "" {
		_ = os.Remove(h.u.opts.HistoryFile)
	}
	h.u.rebuild(tabHistory)
}

// reset forgets the widgets of a previous layout (another language).
func (h *historyScreen) reset() { h.list = nil }
