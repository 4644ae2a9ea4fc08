package registry

// Caps checked by Validate, so decoders refuse absurd records early.
const (
	MaxNameLen = 120 // bytes in one name field; RENIEC's longest are ~60
	MaxTutors  = 10  // tutors registered for one student
	AdultAge   = 18  // mayoría de edad
)
