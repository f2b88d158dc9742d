package main

import "time"

// skynetMsg is a node's start message (its reply channel, number and size) and, with only num, a node's reply.
type skynetMsg struct {
	from      chan<- skynetMsg
	num, size int64
}

// skynetRun: every node is a goroutine with its own inbox channel (its address), started without arguments and
// told its work in one start message; a node of size 1 replies its number to the start message's sender, any
// other starts 10 children and replies the sum of theirs. An inbox holds what its node receives (a leaf's start
// message; an inner node's start message, then its 10 replies), so a send to it never waits, as a send to a
// mailbox does not.
func skynetRun(leaves int) (time.Duration, int64) {
	start := time.Now()
	root := make(chan skynetMsg, 1)
	spawnSkynet(root, 0, int64(leaves))
	sum := (<-root).num
	return time.Since(start), sum
}

func spawnSkynet(from chan<- skynetMsg, num, size int64) {
	capacity := 10
	if size == 1 {
		capacity = 1
	}
	inbox := make(chan skynetMsg, capacity)
	go skynet(inbox)
	inbox <- skynetMsg{from: from, num: num, size: size}
}

func skynet(inbox chan skynetMsg) {
	start := <-inbox
	if start.size == 1 {
		start.from <- skynetMsg{num: start.num}
		return
	}
	sub := start.size / 10
	for i := int64(0); i < 10; i++ {
		spawnSkynet(inbox, start.num+i*sub, sub)
	}
	var sum int64
	for i := 0; i < 10; i++ {
		sum += (<-inbox).num
	}
	start.from <- skynetMsg{num: sum}
}
