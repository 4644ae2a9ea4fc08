//go:build !linux && !((windows || darwin) && cgo)

package camera

// Supported says whether this build can use a camera: V4L2 on Linux and
// mediadevices on Windows and macOS (with cgo); elsewhere the app runs
// without its scan screen.
const Supported = false

// NewSystem returns the cameras of this computer: none in this build.
func NewSystem() System { return none{} }

type none struct{}

func (none) Devices() ([]Device, error)  { return nil, ErrNoCamera }
func (none) Open(string) (Source, error) { return nil, ErrNoCamera }
