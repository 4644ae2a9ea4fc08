package app

import (
	"context"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/config"
	"github.com/minedu-cla/cla/app/cue"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
)

// FromConfig opens the engine and the devices a real run uses: the shared
// trust store, the system's cameras and sound player, the history file
// beside the store.
func FromConfig(ctx context.Context, c config.Config) Options {
	e, roots, err := c.Open(ctx, time.Now)
	o := Options{Engine: e, OpenErr: err, Roots: roots, Store: c.Store, Issuer: c.Issuer,
		Cameras: camera.NewSystem(), Cue: &cue.System{},
		HistoryFile: filepath.Join(filepath.Dir(c.Store), "history.json")}
	o.Reopen = func() (*verifier.Engine, int, error) { return c.Open(ctx, time.Now) }
	if l, ok := i18n.Parse(c.Lang); ok {
		o.Lang = l
	}
	return o
}
