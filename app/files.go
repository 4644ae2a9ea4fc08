package app

import (
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/verifier"
)

// The files the app opens: what the engine reads.
var fileExts = []string{".pdf", ".png", ".jpg", ".jpeg"}

// batchItem is one file of a batch and its result, once known.
type batchItem struct {
	Path   string
	Result *verifier.Result // nil while verifying
}

// filesScreen opens PDFs and images by dialog or drop; several files make
// a batch list with a status per file.
type filesScreen struct {
	u       *UI
	items   []batchItem
	view    *fyne.Container
	list    *widget.List
	summary *widget.Label
	clear   *widget.Button
	pending int // files still being verified
}

func newFilesScreen(u *UI) *filesScreen { return &filesScreen{u: u} }

// reset forgets the widgets of a previous layout (another language).
func (f *filesScreen) reset() { f.list, f.summary, f.clear = nil, nil, nil }

func (f *filesScreen) build() {
	u := f.u
	open := widget.NewButtonWithIcon(u.t("app.files.open")+"  (Ctrl+O)", theme.FileIcon(), f.openDialog)
	open.Importance = widget.HighImportance
	folder := widget.NewButtonWithIcon(u.t("app.files.folder")+"  (Ctrl+D)", theme.FolderOpenIcon(), f.folderDialog)
	drop := wrapped(u.t("app.files.drop"))
	drop.Alignment = fyne.TextAlignCenter
	f.summary = widget.NewLabel("")
	f.list = widget.NewList(func() int { return len(f.items) }, f.newRow, f.updateRow)
	f.list.OnSelected = func(id widget.ListItemID) {
		f.list.UnselectAll()
		if id < len(f.items) && f.items[id].Result != nil {
			u.showResult(shown{Result: *f.items[id].Result, At: u.opts.Now(), fromBatch: true})
		}
	}
	f.clear = widget.NewButtonWithIcon(u.t("app.files.clear"), theme.DeleteIcon(), func() {
		f.items = nil
		f.refresh()
	})
	top := container.NewVBox(
		heading(u.t("app.files.title")),
		drop,
		container.NewCenter(container.NewHBox(open, folder)),
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, f.clear, f.summary),
	)
	f.view = container.NewBorder(top, nil, nil, nil, f.list)
	f.refresh()
}

// newRow is icon, status and file: the statuses sit in a column as wide
// as the longest status word, so the names line up.
func (f *filesScreen) newRow() fyne.CanvasObject {
	icon := widget.NewIcon(theme.ConfirmIcon())
	status := bold("")
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	col := canvas.NewRectangle(color.Transparent)
	col.SetMinSize(fyne.NewSize(f.statusWidth(), 1))
	return container.NewBorder(nil, nil, container.NewHBox(icon, container.NewStack(col, status)), nil, name)
}

func (f *filesScreen) statusWidth() float32 {
	w := float32(0)
	words := []string{f.u.t("app.files.verifying")}
	for _, s := range allStatuses {
		words = append(words, f.u.t("status."+string(s)))
	}
	for _, s := range words {
		w = max(w, fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{Bold: true}).Width)
	}
	return w + 2*theme.InnerPadding()
}

func (f *filesScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(f.items) {
		return
	}
	it := f.items[id]
	row := o.(*fyne.Container)
	name := row.Objects[0].(*widget.Label)
	left := row.Objects[1].(*fyne.Container)
	icon, status := left.Objects[0].(*widget.Icon), left.Objects[1].(*fyne.Container).Objects[1].(*widget.Label)
	if it.Result == nil {
		icon.SetResource(theme.ViewRefreshIcon())
		status.SetText(f.u.t("app.files.verifying"))
		status.Importance = widget.MediumImportance
		name.SetText(filepath.Base(it.Path))
		return
	}
	r := it.Result
	icon.SetResource(statusIcon(r.Status))
	status.Importance = statusImportance(r.Status)
	status.SetText(f.u.t("status." + string(r.Status)))
	text := filepath.Base(it.Path)
	if n := studentName(*r); n != "—" {
		text += " — " + n
	}
	name.SetText(text)
}

func (f *filesScreen) refresh() {
	if f.summary == nil {
		return
	}
	valid := 0
	for _, it := range f.items {
		if it.Result != nil && it.Result.Status == credential.Valid {
			valid++
		}
	}
	if len(f.items) == 0 {
		f.clear.Hide()
	} else {
		f.clear.Show()
	}
	switch {
	case len(f.items) == 0:
		f.summary.SetText(f.u.t("app.files.empty"))
	case f.pending > 0:
		f.summary.SetText(f.u.t("app.files.progress", len(f.items)-f.pending, len(f.items)))
	default:
		f.summary.SetText(f.u.t("app.files.summary", valid, len(f.items)))
	}
	f.list.Refresh()
}

func (f *filesScreen) openDialog() {
	u := f.u
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		rc.Close()
		u.openPaths([]string{rc.URI().Path()})
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter(fileExts))
	d.Resize(u.win.Canvas().Size())
	d.Show()
}

func (f *filesScreen) folderDialog() {
	u := f.u
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		u.openPaths([]string{l.Path()})
	}, u.win)
	d.Resize(u.win.Canvas().Size())
	d.Show()
}

// dropped opens what was dropped on the window.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, uri := range uris {
		if uri.Scheme() == "file" {
			paths = append(paths, uri.Path())
		}
	}
	u.openPaths(paths)
}

// openPaths verifies files (folders: the PDFs and images in them). One
// result is shown at once; more make a batch list.
func (u *UI) openPaths(paths []string) {
	files := expand(paths)
	f := u.files
	if len(files) == 0 {
		if len(paths) > 0 {
			dialog.ShowInformation(u.t("app.files.title"), u.t("app.files.none"), u.win)
		}
		return
	}
	for _, p := range files {
		f.items = append(f.items, batchItem{Path: p})
	}
	f.pending += len(files)
	single := len(files) == 1
	if !single {
		u.selectTab(tabFiles)
	}
	f.refresh()
	for _, p := range files {
		var rs []verifier.Result
		u.bg(func() { rs = u.opts.Engine.VerifyFile(u.ctx, p) }, func() {
			f.pending--
			f.done(p, rs, single)
		})
	}
}

// done records a file's results: a file with several codes gets a row
// for each.
func (f *filesScreen) done(path string, rs []verifier.Result, single bool) {
	u := f.u
	i := slices.IndexFunc(f.items, func(it batchItem) bool { return it.Path == path && it.Result == nil })
	if i < 0 {
		return // the list was cleared meanwhile
	}
	at := u.opts.Now()
	for _, r := range rs {
		u.history.add(shown{Result: r, At: at})
	}
	f.items[i].Result = &rs[0]
	for j, r := range rs[1:] {
		f.items = slices.Insert(f.items, i+1+j, batchItem{Path: path, Result: &r})
	}
	f.refresh()
	if single && len(rs) == 1 { // one file: its result, not a list row
		f.items = slices.Delete(f.items, i, i+1)
		f.refresh()
		u.showResult(shown{Result: rs[0], At: at})
	}
}

// rejudge judges every result of the list again against the trust data
// held now.
func (f *filesScreen) rejudge() {
	for i, it := range f.items {
		if it.Result != nil {
			r, _ := f.u.opts.Engine.Rejudge(*it.Result)
			f.items[i].Result = &r
		}
	}
	f.refresh()
}

// expand lists the files to verify: files as given, folders one level
// deep, only the types the engine reads, in name order.
func expand(paths []string) []string {
	var out []string
	ok := func(p string) bool { return slices.Contains(fileExts, strings.ToLower(filepath.Ext(p))) }
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, p) // the engine says "unreadable" in the list
			continue
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			if !e.IsDir() && ok(e.Name()) {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
	}
	return out
}
