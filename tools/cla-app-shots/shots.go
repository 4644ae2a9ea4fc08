package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/minedu-cla/cla/app"
	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/camera/camtest"
	"github.com/minedu-cla/cla/app/config"
	"github.com/minedu-cla/cla/i18n"
)

// shots runs the real app on the samples in dir, with a recorded camera,
// and saves a screenshot of the X display after each step into out.
func shots(dir, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "cla-app-shots")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	cfg := config.Config{Store: filepath.Join(tmp, "trust.db"), Roots: []string{filepath.Join(dir, fileRoot)},
		Issuer: "http://127.0.0.1:1"} // offline: the app must work without the issuer
	o := app.FromConfig(ctx, cfg)
	if o.OpenErr != nil {
		return o.OpenErr
	}
	bundle, err := os.ReadFile(filepath.Join(dir, fileBundle))
	if err != nil {
		return err
	}
	if err := o.Engine.Import(ctx, bundle, filepath.Join("/media/usb", fileBundle)); err != nil {
		return err
	}
	code, err := os.ReadFile(filepath.Join(dir, fileCode))
	if err != nil {
		return err
	}
	frames, err := camtest.Scene{Text: string(code), Width: 1280, Height: 720, Module: 6, Moving: 30, Still: 30, Blur: 8}.YUYV()
	if err != nil {
		return err
	}
	cam := &steppedCamera{frames: make(chan camera.Frame)}
	o.Cameras, o.Lang = cam, i18n.ES

	a := fyneapp.NewWithID("pe.gob.minedu.cla.verificador.shots")
	u := app.New(a, o)
	u.Window().Resize(fyne.NewSize(1200, 760))
	var scriptErr error
	a.Lifecycle().SetOnStarted(func() {
		go func() {
			later := func() error {
				data, err := os.ReadFile(filepath.Join(dir, fileLater))
				if err == nil {
					err = o.Engine.Import(ctx, data, filepath.Join("/media/usb", fileLater))
				}
				return err
			}
			scriptErr = script(u, dir, out, cam, frames, later)
			fyne.Do(a.Quit)
		}()
	})
	u.Window().ShowAndRun()
	return scriptErr
}

func script(u *app.UI, dir, out string, cam *steppedCamera, frames []camera.Frame, later func() error) error {
	n := 0
	shot := func(name string) error {
		time.Sleep(800 * time.Millisecond) // let the window draw
		n++
		path := filepath.Join(out, fmt.Sprintf("%02d-%s.png", n, name))
		if b, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
			return fmt.Errorf("import: %v: %s", err, b)
		}
		fmt.Println(path)
		return nil
	}
	do := fyne.DoAndWait
	showing := func() bool {
		var s bool
		do(func() { s = u.Showing() })
		return s
	}
	waitResult := func() error {
		for range 300 {
			if showing() {
				return nil
			}
			time.Sleep(100 * time.Millisecond)
		}
		return fmt.Errorf("no result after 30 s")
	}
	open := func(name string, paths ...string) error {
		do(u.Back)
		do(func() { u.Open(paths) })
		if err := waitResult(); err != nil {
			return err
		}
		return shot(name)
	}
	file := func(n string) string { return filepath.Join(dir, n) }

	// The camera: the code slides in, blurred; the app reads it alone.
	do(func() { u.ShowTab(app.TabScan) })
	time.Sleep(time.Second)
	for _, f := range frames[:12] {
		cam.frames <- f
		time.Sleep(33 * time.Millisecond)
	}
	if err := shot("escanear-camara"); err != nil {
		return err
	}
	go func() {
		for _, f := range frames[12:] {
			select {
			case cam.frames <- f:
			case <-time.After(time.Second): // the camera stopped after the read
				return
			}
			time.Sleep(33 * time.Millisecond)
		}
	}()
	if err := waitResult(); err != nil {
		return err
	}
	steps := []error{
		shot("camara-valida"),
		open("pdf-valida", file(fileValid)),
	}
	do(func() { u.ScrollResult(0.45) })
	steps = append(steps, shot("pdf-valida-calificaciones"),
		open("pdf-revocada", file(fileRevoked)),
		open("imagen-alterada", file(fileForged)),
		open("imagen-otra-clave", file(fileOther)))
	do(u.Back)
	do(func() { u.Open([]string{dir}) })
	time.Sleep(3 * time.Second) // the batch list fills in
	steps = append(steps, shot("lote"))
	for _, tab := range []struct {
		i    int
		name string
	}{{app.TabCode, "codigo"}, {app.TabTrust, "confianza"}, {app.TabHistory, "historial"}, {app.TabSettings, "ajustes"}} {
		do(func() { u.ShowTab(tab.i) })
		steps = append(steps, shot(tab.name))
	}
	do(func() { u.SetLanguage(i18n.QU) })
	steps = append(steps, shot("ajustes-quechua"), open("pdf-valida-quechua", file(fileValid)))
	do(func() { u.SetLanguage(i18n.EN) })
	steps = append(steps, shot("pdf-valid-english"))
	do(func() { u.SetLanguage(i18n.ES) })
	// A valid result on screen when a bundle revoking it is imported: it
	// is judged again, and says so.
	steps = append(steps, open("pdf-valida-antes", file(fileValid)), later(), shot("pdf-vuelta-a-juzgar"))
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	return nil
}

// steppedCamera is one camera whose frames the script feeds.
type steppedCamera struct{ frames chan camera.Frame }

func (c *steppedCamera) Devices() ([]camera.Device, error) {
	return []camera.Device{{ID: "recorded", Name: "Grabación de prueba (1280×720)"}}, nil
}

func (c *steppedCamera) Open(string) (camera.Source, error) { return c, nil }

func (c *steppedCamera) Next(ctx context.Context) (camera.Frame, error) {
	select {
	case <-ctx.Done():
		return camera.Frame{}, ctx.Err()
	case f := <-c.frames:
		return f, nil
	}
}

func (c *steppedCamera) Close() error { return nil }
