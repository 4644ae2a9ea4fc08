//go:build unix

package pdf

import (
	"syscall"
	"testing"
)

// cpuClock returns the process's CPU time (user and system), in ns.
func cpuClock() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}

// reportCPU adds the CPU time an operation took since start (garbage
// collection included): these machines are shared, and ns/op counts the
// time spent waiting for a core.
func reportCPU(b *testing.B, start int64) {
	if start > 0 {
		b.ReportMetric(float64(cpuClock()-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}
