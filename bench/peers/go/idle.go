package main

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// idle: count goroutines, each registered under its name and parked on its inbox. The names are made before the
// baseline (as the harness makes them for every runtime); memory is Go's own account of live memory after a
// collection (MemStats HeapAlloc + StackInuse: the goroutines' stacks, their inboxes, the registry's entries) and
// the process's resident set, before and after. Then each is stopped through its name, which checks it is there.
func idle(count int) (result, error) {
	names := make([]string, count)
	for i := range names {
		names[i] = "idle-" + strconv.Itoa(i)
	}
	before, rssBefore := liveBytes(), rss()
	var parked sync.WaitGroup
	parked.Add(count)
	start := time.Now()
	for _, name := range names {
		go idleProcess(name, &parked)
	}
	parked.Wait()
	spawnNs := since(start)
	time.Sleep(200 * time.Millisecond) // as the harness waits for every runtime
	after, rssAfter := liveBytes(), rss()
	for _, name := range names {
		inbox, ok := registry.LoadAndDelete(name)
		if !ok {
			return nil, fmt.Errorf("idle process %s is not registered", name)
		}
		inbox.(chan struct{}) <- struct{}{}
	}
	return result{"count": count, "spawn_ns": spawnNs, "mem_before": before, "mem_after": after, "rss_before": rssBefore, "rss_after": rssAfter}, nil
}

func idleProcess(name string, parked *sync.WaitGroup) {
	inbox := make(chan struct{}, 1)
	registry.Store(name, inbox)
	parked.Done()
	<-inbox
}
