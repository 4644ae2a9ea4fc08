package dataset

import (
	"bytes"
	"sync"

	"github.com/minedu-cla/cla/assets/demo"
)

var demoRegistry = sync.OnceValues(func() (*Registry, error) {
	return Read(bytes.NewReader(demo.Dataset))
})

// Demo returns the synthetic demo registry embedded in assets/demo, loaded
// once and shared: it answers as RENIEC and Migraciones (IdentityRegistry)
// and as SIAGIE (RecordsRegistry). docs/DEMO.md lists identities to try.
func Demo() (*Registry, error) { return demoRegistry() }
