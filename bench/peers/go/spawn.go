package main

import "time"

// spawn: the parent starts children (at most window alive), sends each one message on its inbox; a child ends on
// it and its deferred notification tells the parent, which starts the next child for each end it hears of.
func spawn(children, window int) time.Duration {
	exited := make(chan struct{}, window)
	start := time.Now()
	spawned := 0
	spawnOne := func() {
		inbox := make(chan struct{}, 1)
		go child(inbox, exited)
		inbox <- struct{}{}
		spawned++
	}
	for spawned < window && spawned < children {
		spawnOne()
	}
	for ended := 0; ended < children; ended++ {
		<-exited
		if spawned < children {
			spawnOne()
		}
	}
	return time.Since(start)
}

func child(inbox <-chan struct{}, exited chan<- struct{}) {
	defer func() { exited <- struct{}{} }()
	<-inbox
}
