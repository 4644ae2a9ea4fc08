//go:build race

package synth

// raceEnabled: the race detector makes TestMillion ~10× slower (100 s on
// 2 cores); it is skipped there and still runs in plain `go test`.
const raceEnabled = true
