package audit

// Limits on an entry. They keep a record under MaxRecord, and a public
// caller (a verification by code) from writing a novel into the trail:
// Append refuses an entry over any of them with ErrInvalid.
const (
	MaxActor       = 64
	MaxRole        = 32
	MaxAction      = 32
	MaxTarget      = 256
	MaxDetails     = 16 // pairs
	MaxDetailKey   = 32
	MaxDetailValue = 512
)

// MaxRecord caps a record the decoder reads: the largest entry the limits
// above allow is about 9.5 KB.
const MaxRecord = 16 << 10

// chunk is how many records Check and Export read in one read
// transaction: a long bbolt read transaction keeps the file from growing
// (a writer waits for it to remap), so a walk over millions of entries
// takes many short ones. 10,000 records are ~2 MB and a few milliseconds.
const chunk = 10_000
