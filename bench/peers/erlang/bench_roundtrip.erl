%% Round trip, one message in flight: the pinger sends the ping-pong workload's ponger {ping, self()}, waits for its
%% pong and sends again. It reads the clock once per pong, so a round trip is the time from the previous pong (or the
%% first send) to this one, written into an atomics array (as the .NET side fills a long[]); the round trips add up to
%% the elapsed time. The answer also gives what ClockReads reads of that clock cost back to back.
-module(bench_roundtrip).
-export([run/1]).

-define(CLOCK_READS, 1000000).

run(RoundTrips) ->
    Driver = self(),
    Ponger = spawn(fun bench_pingpong:ponger/0),
    Log = atomics:new(RoundTrips, [{signed, true}]),
    spawn_link(fun() ->
        Start = wisp_bench:now_ns(),
        Driver ! {elapsed, pings(Ponger, {ping, self()}, Log, 1, RoundTrips, Start) - Start}
    end),
    Elapsed = receive {elapsed, E} -> E end,
    exit(Ponger, kill),
    [{elapsed_ns, Elapsed}, {latencies_ns, [atomics:get(Log, I) || I <- lists:seq(1, RoundTrips)]},
     {clock_reads, ?CLOCK_READS}, {clock_reads_ns, clock_cost()}].

%% Round trips I .. N; Previous is the time of the previous pong. Returns the time of the last.
pings(_, _, _, I, N, Previous) when I > N -> Previous;
pings(Ponger, Ping, Log, I, N, Previous) ->
    Ponger ! Ping,
    receive pong -> ok end,
    Now = wisp_bench:now_ns(),
    atomics:put(Log, I, Now - Previous),
    pings(Ponger, Ping, Log, I + 1, N, Now).

clock_cost() ->
    Start = wisp_bench:now_ns(),
    reads(?CLOCK_READS),
    wisp_bench:now_ns() - Start.

reads(0) -> ok;
reads(N) -> wisp_bench:now_ns(), reads(N - 1).
