//go:build unix

package pattern_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used (user + system).
// On a shared machine it measures the benchmark's own work where wall
// time also counts the other processes' turns.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
