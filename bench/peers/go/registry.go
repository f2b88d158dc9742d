package main

import "sync"

// registry maps a process's name to its inbox channel: a sync.Map, the standard library's map for keys written
// once and read many times from many goroutines.
var registry sync.Map
