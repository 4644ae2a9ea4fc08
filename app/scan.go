package app

import (
	"context"
	"errors"
	"image"
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/cue"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/scan"
)

// scanScreen shows the live camera and verifies the first CLA code it
// reads: no button to press. The pump (package camera) decodes on its own
// goroutine and drops frames while busy; the preview takes the newest
// frame whenever the UI thread is free.
type scanScreen struct {
	u       *UI
	view    fyne.CanvasObject
	preview *canvas.Image
	message *widget.Label
	retry   *widget.Button
	pick    *fyne.Container // a camera picker, when there is more than one

	devices []camera.Device
	cancel  context.CancelFunc // of the running pump; nil when stopped
	// last is the code shown last and started when the camera came back:
	// the same paper still in front of the lens is not read again at once.
	last    string
	started time.Time
	latest  atomic.Pointer[image.Image]
	pending atomic.Bool // a preview refresh is queued on the UI thread
}

// previewMin is the preview's smallest size: 4:3 at a size an old
// 1366×768 laptop shows whole with the tabs and the status line.
var previewMin = fyne.NewSize(480, 360)

func newScanScreen(u *UI) *scanScreen {
	s := &scanScreen{u: u}
	blank := image.NewGray(image.Rect(0, 0, 4, 3))
	for i := range blank.Pix {
		blank.Pix[i] = 40
	}
	s.preview = canvas.NewImageFromImage(blank)
	s.preview.FillMode = canvas.ImageFillContain
	s.preview.ScaleMode = canvas.ImageScaleFastest
	s.preview.SetMinSize(previewMin)
	s.message = wrapped(u.t("app.scan.hint"))
	s.message.Alignment = fyne.TextAlignCenter
	s.retry = widget.NewButtonWithIcon(u.t("app.scan.retry"), theme.ViewRefreshIcon(), func() {
		s.stop()
		s.devices = nil
		s.start()
	})
	s.retry.Hide()
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeColor = u.app.Settings().Theme().Color(theme.ColorNamePrimary, u.app.Settings().ThemeVariant())
	frame.StrokeWidth = 4
	s.pick = container.NewStack()
	top := container.NewVBox(heading(u.t("app.scan.title")), s.pick, s.message)
	s.view = container.NewBorder(top, container.NewCenter(s.retry), nil, nil,
		container.NewPadded(container.NewStack(s.preview, frame)))
	return s
}

// chooser is a camera picker for the settings.
func (s *scanScreen) chooser() fyne.CanvasObject {
	u := s.u
	sel := widget.NewSelect(nil, nil)
	sel.PlaceHolder = u.t("app.scan.choose")
	var devs []camera.Device
	var err error
	u.bg(func() { devs, err = u.opts.Cameras.Devices() }, func() {
		if err != nil {
			sel.PlaceHolder = s.explain(err)
			sel.Disable()
			sel.Refresh()
			return
		}
		var names []string
		for _, d := range devs {
			names = append(names, d.Name)
		}
		sel.Options = names
		for _, d := range devs {
			if d.ID == s.cameraID(devs) {
				sel.Selected = d.Name
			}
		}
		sel.OnChanged = func(name string) {
			for _, d := range devs {
				if d.Name == name {
					u.app.Preferences().SetString(prefCamera, d.ID)
				}
			}
			s.stop()
		}
		sel.Refresh()
	})
	return sel
}

// showPicker offers the cameras on the scan screen itself when there are
// several (a laptop's own and a USB one on a stand).
func (s *scanScreen) showPicker() {
	if len(s.devices) < 2 {
		s.pick.Objects = nil
		s.pick.Refresh()
		return
	}
	var names []string
	current := ""
	for _, d := range s.devices {
		names = append(names, d.Name)
		if d.ID == s.cameraID(s.devices) {
			current = d.Name
		}
	}
	sel := widget.NewSelect(names, nil)
	sel.Selected = current
	sel.OnChanged = func(name string) {
		for _, d := range s.devices {
			if d.Name == name {
				s.u.app.Preferences().SetString(prefCamera, d.ID)
			}
		}
		s.stop()
		s.start()
	}
	s.pick.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewLabel(s.u.t("app.settings.camera")), nil, sel)}
	s.pick.Refresh()
}

// cameraID is the saved camera when connected, else the first.
func (s *scanScreen) cameraID(devs []camera.Device) string {
	want := s.u.app.Preferences().String(prefCamera)
	for _, d := range devs {
		if d.ID == want {
			return want
		}
	}
	if len(devs) == 0 {
		return ""
	}
	return devs[0].ID
}

func (s *scanScreen) explain(err error) string {
	switch {
	case errors.Is(err, camera.ErrNoCamera):
		return s.u.t("app.scan.nocamera")
	case errors.Is(err, camera.ErrBusy):
		return s.u.t("app.scan.busy")
	case errors.Is(err, camera.ErrUnsupported):
		return s.u.t("app.scan.unsupported")
	}
	return s.u.t("app.scan.error", err.Error())
}

func (s *scanScreen) fail(err error) {
	s.message.Importance = widget.WarningImportance
	s.message.SetText(s.explain(err))
	s.retry.Show()
}

// start opens the chosen camera and runs the pump until stop.
func (s *scanScreen) start() {
	if s.cancel != nil {
		return
	}
	u := s.u
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancel, s.started = cancel, u.opts.Now()
	s.retry.Hide()
	s.message.Importance = widget.MediumImportance
	s.message.SetText(u.t("app.scan.starting"))
	var src camera.Source
	var err error
	u.bg(func() {
		var devs []camera.Device
		if devs, err = u.opts.Cameras.Devices(); err == nil {
			s.devices = devs
			src, err = u.opts.Cameras.Open(s.cameraID(devs))
		}
	}, func() {
		if ctx.Err() != nil { // stopped meanwhile
			if src != nil {
				src.Close()
			}
			return
		}
		if err != nil {
			s.cancel = nil
			cancel()
			s.fail(err)
			return
		}
		s.message.SetText(u.t("app.scan.hint"))
		s.showPicker()
		p := &camera.Pump{Source: src, Decode: scan.Gray,
			Accept:  credential.IsCode,
			Preview: s.show,
			Found:   func(t string) { fyne.Do(func() { s.found(ctx, t) }) },
		}
		go func() {
			err := p.Run(ctx)
			src.Close()
			if err != nil {
				fyne.Do(func() {
					if ctx.Err() == nil {
						s.cancel = nil
						s.fail(err)
					}
				})
			}
		}()
	})
}

// stop stops the camera (the pump closes it as it returns).
func (s *scanScreen) stop() {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// show hands a frame to the UI thread. Only the newest frame counts: if a
// refresh is already queued it will draw this one, so the camera never
// waits for the UI and the UI never falls behind the camera.
func (s *scanScreen) show(p camera.Picture) {
	img := p.Image
	s.latest.Store(&img)
	if !s.pending.CompareAndSwap(false, true) {
		return
	}
	fyne.Do(func() {
		s.pending.Store(false)
		if img := s.latest.Load(); img != nil {
			s.preview.Image = *img
			s.preview.Refresh()
		}
	})
}

// rereadAfter is how long the code just shown is ignored once the camera
// is back: time to take the paper away.
const rereadAfter = 5 * time.Second

// found verifies a code the camera read and shows the result with a
// sound: a chime when valid, a buzz otherwise.
func (s *scanScreen) found(ctx context.Context, text string) {
	u := s.u
	if ctx.Err() != nil || u.showing != nil {
		return // a second read of the same code, or the screen was left
	}
	if text == s.last && u.opts.Now().Sub(s.started) < rereadAfter {
		return // "verify another" with the same constancia still held up
	}
	s.last = text
	s.stop()
	r := u.opts.Engine.VerifyText(text)
	r.Source = u.t("app.scan.source")
	if u.opts.Cue != nil {
		k := cue.Bad
		if r.Status == credential.Valid {
			k = cue.Good
		}
		u.opts.Cue.Play(k)
	}
	sh := shown{Result: r, At: u.opts.Now()}
	u.history.add(sh)
	u.showResult(sh)
}
