package dataset

// Caps on a dataset file. A student with 14 years of records is ~4 kB of
// JSON; a line 64 times that is not a record.
const (
	MaxLineBytes = 256 << 10
	MaxRecords   = 2_000_000 // persons and students together
)
