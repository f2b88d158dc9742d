package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// liveBytes is the heap's live objects plus the goroutines' stacks, after two collections.
func liveBytes() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}

// rss is this process's resident set (VmRSS in /proc/self/status), in bytes; 0 where there is no /proc.
func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if line := lines.Text(); strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(line[len("VmRSS:"):]), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
