package dcbor

// Limits applied to every decoded document. The largest legitimate documents
// are status-list deltas (one array element per changed index; a delta of
// 100,000 changes is far beyond a day's revocations) and keysets (a key a
// year for a century is 100 entries).
const (
	// MaxNestedLevels bounds recursion: the deepest document (the full
	// record: map → years → year → areas → area) nests 5 levels.
	MaxNestedLevels = 16
	// MaxArrayElements bounds one array (status-list delta indices).
	MaxArrayElements = 1 << 20
	// MaxMapPairs bounds one map; no CLA map has more than 16 keys.
	MaxMapPairs = 64
)
