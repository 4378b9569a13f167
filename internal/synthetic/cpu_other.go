//go:build !unix

package synthetic

import "time"

// processCPU returns 0: the CPU time is measured on Unix systems only.
func processCPU() time.Duration { return 0 }
