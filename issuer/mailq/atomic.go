package mailq

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// tmpPrefix names files being written; Open deletes any left by a crash.
const tmpPrefix = ".tmp-"

// writeAtomic makes dir/name hold data, or leaves it as it was: the bytes
// go to a temporary file in the same folder, are fsynced, renamed over the
// name and the folder is fsynced, so after a crash the name holds either
// nothing or the whole file. Files are 0600: they hold personal data.
func writeAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a create, rename or remove in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// removeTemps deletes the temporary files a crash left in dir; their
// writes never completed, so no caller was told they were stored.
func removeTemps(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
