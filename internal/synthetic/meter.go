package synthetic

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// Measurement is the cost of one operation, recorded by a Meter between
// StartMeter and Stop.
type Measurement struct {
	// Wall is the elapsed real time.
	Wall time.Duration
	// CPU is the user plus system CPU time of the whole process, DuckDB's
	// threads included, or zero where the platform does not report it. On
	// a shared machine it varies less than Wall.
	CPU time.Duration
	// PeakRSS is the process's peak resident set size in bytes (VmHWM),
	// zero where /proc/self/status does not exist. It covers only the
	// measured span when RSSReset is true, and the whole process otherwise.
	PeakRSS  uint64
	RSSReset bool
	// PeakHeap is the largest Go heap (live and not yet swept objects) seen
	// by sampling every 10 ms, in bytes. DuckDB's memory is not part of it.
	PeakHeap uint64
}

// Meter measures the time and memory of one benchmarked operation. Only
// one Meter should run at a time, because the peak RSS is process-wide.
type Meter struct {
	start    time.Time
	cpuStart time.Duration
	rssReset bool
	done     chan struct{}
	peakHeap chan uint64
}

// heapMetric is the runtime/metrics name of the Go heap's object bytes.
const heapMetric = "/memory/classes/heap/objects:bytes"

// StartMeter collects garbage, returns freed memory to the system, resets
// the peak RSS where Linux allows it, and starts measuring.
func StartMeter() *Meter {
	runtime.GC()
	debug.FreeOSMemory()
	m := &Meter{done: make(chan struct{}), peakHeap: make(chan uint64)}
	// Writing 5 to clear_refs sets VmHWM to the current RSS (Linux 4.0
	// and later, see proc(5)).
	m.rssReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	go m.sampleHeap()
	m.cpuStart = processCPU()
	m.start = time.Now()
	return m
}

func (m *Meter) sampleHeap() {
	sample := []metrics.Sample{{Name: heapMetric}}
	var peak uint64
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	for {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
		select {
		case <-m.done:
			m.peakHeap <- peak
			return
		case <-ticker.C:
		}
	}
}

// Stop ends the measurement. It fails only when /proc/self/status exists
// but cannot be read or parsed.
func (m *Meter) Stop() (Measurement, error) {
	wall := time.Since(m.start)
	cpu := processCPU() - m.cpuStart
	close(m.done)
	out := Measurement{Wall: wall, CPU: cpu, RSSReset: m.rssReset, PeakHeap: <-m.peakHeap}
	rss, err := peakRSS()
	if err != nil {
		return out, err
	}
	out.PeakRSS = rss
	return out, nil
}

// peakRSS returns VmHWM from /proc/self/status in bytes, or 0 where that
// file does not exist.
func peakRSS() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, nil
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 3 && fields[0] == "VmHWM:" && fields[2] == "kB" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("read peak RSS: invalid VmHWM %q: %w", fields[1], err)
			}
			return kb << 10, nil
		}
	}
	if err := scanner.Err(); err != nil {
		return 0, fmt.Errorf("read peak RSS: %w", err)
	}
	return 0, nil
}

// ProcessCPU returns the user plus system CPU time that the process has
// used so far, all threads included, or zero where the platform does not
// report it.
func ProcessCPU() time.Duration { return processCPU() }
