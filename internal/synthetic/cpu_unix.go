//go:build unix

package synthetic

import (
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time that the process has
// used so far, all threads included.
func processCPU() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}
