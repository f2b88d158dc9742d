package main

import (
	"sync"
	"time"
)

// request is what a requester sends the relay: the data and the requester's inbox for the reply.
type request struct {
	from chan<- string
	data string
}

// echo: each requester sends a request to the relay found by its registered name; the relay starts a worker
// goroutine for it and hears of its end through a deferred notification (Go's monitor); the worker replies to the
// requester. The clock runs from the first request to the last reply and the relay's last exit notification.
func echo(requests, requesters int) (result, error) {
	ready := make(chan struct{})
	allExited := make(chan struct{})
	stop := make(chan chan int)
	go relay(requests, ready, allExited, stop)
	<-ready

	logs := make([][]int64, requesters)
	for i := range logs {
		n := requests / requesters
		if i < requests%requesters {
			n++
		}
		logs[i] = make([]int64, n)
	}
	var done sync.WaitGroup
	done.Add(requesters)
	start := time.Now()
	for _, log := range logs {
		go requester(log, &done)
	}
	done.Wait()
	select {
	case <-allExited:
	case <-time.After(10 * time.Second): // reported as a count below the request count
	}
	elapsed := since(start)
	count := make(chan int)
	stop <- count
	latencies := make([]int64, 0, requests)
	for _, log := range logs {
		latencies = append(latencies, log...)
	}
	return result{"elapsed_ns": elapsed, "exits": <-count, "latencies_ns": latencies}, nil
}

func relay(expected int, ready, allExited chan<- struct{}, stop <-chan chan int) {
	inbox := make(chan request, mailbox)
	exited := make(chan struct{}, mailbox)
	registry.Store("relay", inbox)
	defer registry.Delete("relay")
	close(ready)
	seen := 0
	for {
		select {
		case r := <-inbox:
			go worker(r, exited)
		case <-exited:
			seen++
			if seen == expected {
				close(allExited)
			}
		case count := <-stop:
			count <- seen
			return
		}
	}
}

func worker(r request, exited chan<- struct{}) {
	defer func() { exited <- struct{}{} }()
	r.from <- r.data
}

func requester(log []int64, done *sync.WaitGroup) {
	defer done.Done()
	inbox := make(chan string, 1)
	for i := range log {
		t0 := time.Now()
		relay, ok := registry.Load("relay")
		if !ok {
			panic("no relay registered")
		}
		relay.(chan request) <- request{from: inbox, data: "ping"}
		<-inbox
		log[i] = since(t0)
	}
}
