//go:build !linux

package camera

// Supported says whether this build can use a camera: V4L2 exists only on
// Linux; elsewhere the app runs without its scan screen.
const Supported = false

// NewSystem returns the cameras of this computer: none in this build.
func NewSystem() System { return none{} }

type none struct{}

func (none) Devices() ([]Device, error)  { return nil, ErrNoCamera }
func (none) Open(string) (Source, error) { return nil, ErrNoCamera }
