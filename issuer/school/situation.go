package school

import "fmt"

// Situation is a year's situación final.
type Situation uint8

// Situaciones finales.
const (
	Promoted Situation = iota + 1 // Promovido
	Recovery                      // Requiere recuperación
	Repeat                        // Permanece en el grado
)

var situationCodes = [...]string{Promoted: "promovido", Recovery: "requiere_recuperacion", Repeat: "permanece_en_el_grado"}
var situationNames = [...]string{Promoted: "Promovido", Recovery: "Requiere recuperación", Repeat: "Permanece en el grado"}

// String returns the Spanish text printed on the constancia.
func (s Situation) String() string {
	if s < Promoted || s > Repeat {
		return fmt.Sprintf("Situation(%d)", s)
	}
	return situationNames[s]
}

// MarshalText implements encoding.TextMarshaler with the wire code
// ("promovido", "requiere_recuperacion", "permanece_en_el_grado").
func (s Situation) MarshalText() ([]byte, error) {
	if s < Promoted || s > Repeat {
		return nil, fmt.Errorf("%w: situación final", ErrInvalid)
	}
	return []byte(situationCodes[s]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Situation) UnmarshalText(b []byte) error {
	for v := Promoted; v <= Repeat; v++ {
		if string(b) == situationCodes[v] {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("%w: unknown situación final", ErrInvalid)
}
