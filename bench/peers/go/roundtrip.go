package main

import "time"

// clockReads is how many time.Now reads roundTrip times back to back to give what one costs.
const clockReads = 1_000_000

// roundTrip: two goroutines, one message in flight. The pinger sends the ping-pong workload's ponger a ping
// carrying its inbox, waits for the pong, and sends again; it reads the clock once per pong, so a round trip is the
// time from the previous pong (or the first send) to this one, and the round trips add up to the elapsed time.
func roundTrip(roundTrips int) result {
	inbox := make(chan chan<- struct{}, mailbox)
	go ponger(inbox)
	defer close(inbox)
	latencies := make([]int64, roundTrips)
	elapsed := make(chan int64)
	go pingOnce(inbox, latencies, elapsed)
	return result{"elapsed_ns": <-elapsed, "latencies_ns": latencies, "clock_reads": clockReads, "clock_reads_ns": clockCost()}
}

func pingOnce(ponger chan<- chan<- struct{}, latencies []int64, elapsed chan<- int64) {
	inbox := make(chan struct{}, mailbox)
	start := time.Now()
	previous := start
	for i := range latencies {
		ponger <- inbox
		<-inbox
		now := time.Now()
		latencies[i] = int64(now.Sub(previous))
		previous = now
	}
	elapsed <- int64(previous.Sub(start))
}

// clockCost is the nanoseconds of clockReads time.Now reads back to back.
func clockCost() int64 {
	start := time.Now()
	for i := 0; i < clockReads; i++ {
		time.Now()
	}
	return since(start)
}
