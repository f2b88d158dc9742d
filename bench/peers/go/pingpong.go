package main

import (
	"sync"
	"time"
)

// pingPong: pairs of goroutines; each ping carries the pinger's inbox for the pong, as a message carries its
// sender. A pinger keeps window pings in flight until roundTrips pongs have come back.
func pingPong(pairs, window, roundTrips int) time.Duration {
	capacity := mailbox
	if window > capacity {
		capacity = window // both inboxes hold a window, or each side could wait on the other's full inbox
	}
	pongers := make([]chan chan<- struct{}, pairs)
	for i := range pongers {
		pongers[i] = make(chan chan<- struct{}, capacity)
		go ponger(pongers[i])
	}
	var done sync.WaitGroup
	done.Add(pairs)
	start := time.Now()
	for _, p := range pongers {
		go pinger(p, capacity, window, roundTrips, &done)
	}
	done.Wait()
	elapsed := time.Since(start)
	for _, p := range pongers {
		close(p)
	}
	return elapsed
}

func ponger(inbox <-chan chan<- struct{}) {
	for from := range inbox {
		from <- struct{}{}
	}
}

func pinger(ponger chan<- chan<- struct{}, capacity, window, total int, done *sync.WaitGroup) {
	defer done.Done()
	inbox := make(chan struct{}, capacity)
	sent := 0
	for ; sent < window && sent < total; sent++ {
		ponger <- inbox
	}
	for received := 0; received < total; received++ {
		<-inbox
		if sent < total {
			ponger <- inbox
			sent++
		}
	}
}
