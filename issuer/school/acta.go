package school

import "fmt"

// Acta is the state of a year's acta de evaluación in SIAGIE.
type Acta uint8

// Acta states. A year whose acta is not closed blocks issuing a constancia
// until the school closes it: its grades may still change.
const (
	ActaClosed        Acta = iota + 1 // cerrada (aprobada)
	ActaUnderReview                   // en revisión
	ActaRectification                 // en rectificación
)

var actaCodes = [...]string{ActaClosed: "cerrada", ActaUnderReview: "en_revision", ActaRectification: "en_rectificacion"}

// Blocks reports whether the acta stops a constancia being issued.
func (a Acta) Blocks() bool { return a != ActaClosed }

// String returns the wire code.
func (a Acta) String() string {
	if a < ActaClosed || a > ActaRectification {
		return fmt.Sprintf("Acta(%d)", a)
	}
	return actaCodes[a]
}

// MarshalText implements encoding.TextMarshaler.
func (a Acta) MarshalText() ([]byte, error) {
	if a < ActaClosed || a > ActaRectification {
		return nil, fmt.Errorf("%w: acta state", ErrInvalid)
	}
	return []byte(actaCodes[a]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Acta) UnmarshalText(b []byte) error {
	for v := ActaClosed; v <= ActaRectification; v++ {
		if string(b) == actaCodes[v] {
			*a = v
			return nil
		}
	}
	return fmt.Errorf("%w: unknown acta state", ErrInvalid)
}
