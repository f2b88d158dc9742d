// Command wispbench runs bench/Wisp.Workloads' workloads with goroutines and channels (standard library only).
// It prints one JSON line naming its runtime, then reads one command per line on standard input
// ("echo 100000 1", "skynet 1000000", ...), runs it in this process and answers one JSON line. The harness keeps
// it alive through a launch's warm-up passes and its measure, as the .NET runtimes live through theirs; it ends
// when its input closes.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// result is one command's answer: numbers and arrays of numbers, or an error.
type result map[string]any

// mailbox is the capacity of an inbox that many senders share (the relay's, a subscriber's, a ping-pong side's):
// deep enough that a sender does not wait while the receiver runs, as an actor's unbounded mailbox would not.
const mailbox = 1024

func main() {
	out := bufio.NewWriter(os.Stdout)
	emit := func(r result) {
		line, err := json.Marshal(r)
		if err != nil {
			line, _ = json.Marshal(result{"error": err.Error()})
		}
		out.Write(line)
		out.WriteByte('\n')
		out.Flush()
	}
	emit(result{"runtime": fmt.Sprintf("%s %s/%s, GOMAXPROCS %d", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))})
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		runtime.GC() // each command starts from a collected heap, as the harness collects between passes
		r, err := run(fields[0], fields[1:])
		if err != nil {
			r = result{"error": err.Error()}
		}
		emit(r)
	}
}

func run(command string, args []string) (result, error) {
	n := make([]int, len(args))
	for i, a := range args {
		v, err := strconv.Atoi(a)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: argument %q is not a positive number", command, a)
		}
		n[i] = v
	}
	want := map[string]int{"echo": 2, "spawn": 2, "idle": 1, "pingpong": 3, "roundtrip": 1, "skynet": 1, "fanout": 2}
	if count, ok := want[command]; !ok {
		return nil, fmt.Errorf("unknown command %q", command)
	} else if count != len(n) {
		return nil, fmt.Errorf("%s takes %d numbers, got %d", command, count, len(n))
	}
	switch command {
	case "echo":
		return echo(n[0], n[1])
	case "spawn":
		return result{"elapsed_ns": spawn(n[0], n[1]).Nanoseconds()}, nil
	case "idle":
		return idle(n[0])
	case "pingpong":
		return result{"elapsed_ns": pingPong(n[0], n[1], n[2]).Nanoseconds()}, nil
	case "roundtrip":
		return roundTrip(n[0]), nil
	case "skynet":
		elapsed, sum := skynetRun(n[0])
		return result{"elapsed_ns": elapsed.Nanoseconds(), "sum": sum}, nil
	default:
		return result{"elapsed_ns": fanout(n[0], n[1]).Nanoseconds()}, nil
	}
}

// since is the monotonic time from t0, in nanoseconds.
func since(t0 time.Time) int64 { return int64(time.Since(t0)) }
