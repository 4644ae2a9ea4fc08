package ubigeo

// Limits on what Read accepts. The 2021 list has 25 departments, 196
// provinces and 1,893 districts in files of at most 410 kB; the caps leave
// room for decades of new districts and stop a wrong file early.
const (
	MaxFileBytes = 8 << 20 // per CSV file
	MaxRows      = 20000   // per CSV file, header excluded
	MaxNameLen   = 200     // bytes in a place name
)
