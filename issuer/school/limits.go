package school

// Caps on a record, so a decoder can refuse absurd input early.
const (
	MaxAreas        = 16 // cells in a year; the longest list has 11
	MaxObservations = 20 // per year
	MaxYears        = 40 // per student; 14 grades, repeats and 2013-on leave room
)
