package main

import (
	"sync"
	"time"
)

// tick is the one message the publisher sends every subscriber.
type tick struct{}

// fanout: subscribers started before the clock; a publisher goroutine sends the same *tick to every subscriber's
// inbox, rounds times; the clock stops when every subscriber has received all of them.
func fanout(subscribers, rounds int) time.Duration {
	inboxes := make([]chan *tick, subscribers)
	var done sync.WaitGroup
	done.Add(subscribers)
	for i := range inboxes {
		inboxes[i] = make(chan *tick, mailbox)
		go subscriber(inboxes[i], rounds, &done)
	}
	start := time.Now()
	go publisher(inboxes, rounds)
	done.Wait()
	return time.Since(start)
}

func subscriber(inbox <-chan *tick, rounds int, done *sync.WaitGroup) {
	for i := 0; i < rounds; i++ {
		<-inbox
	}
	done.Done()
}

func publisher(inboxes []chan *tick, rounds int) {
	t := &tick{}
	for r := 0; r < rounds; r++ {
		for _, inbox := range inboxes {
			inbox <- t
		}
	}
}
