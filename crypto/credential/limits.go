package credential

// Caps on codes and records, checked before or while decoding.
const (
	// MaxText caps a QR text: 4,296 characters is the most a QR code
	// (version 40-L, alphanumeric) can hold.
	MaxText = 4296
	// MaxInflate caps what a zlib stream in a QR code may inflate to
	// (docs/DESIGN.md: 64 KiB); anything bigger is a bomb.
	MaxInflate = 64 << 10
	// MaxRecord caps the signed full record (14 years × 20 areas with
	// long names and observations is ~10 KB).
	MaxRecord = 256 << 10
	// MaxName caps one name field in bytes (RENIEC fields are ≤ 40
	// characters; accents take two bytes).
	MaxName = 100
	// MaxYears caps the years of one student: 3 of inicial, 6 of
	// primaria, 5 of secundaria and repeats since 2013 stay far below.
	MaxYears = 40
	// MaxAreas caps the areas (or competencias transversales) of a year.
	MaxAreas = 40
	// MaxObservations caps the observations of a year.
	MaxObservations = 20
	// MaxField caps one free-text record field (school name, observation).
	MaxField = 300
	// MaxIssuer caps the iss claim.
	MaxIssuer = 64
	// MaxStatusIndex is the last index of the largest status list
	// (16,777,216 bits).
	MaxStatusIndex = 1<<24 - 1
)
