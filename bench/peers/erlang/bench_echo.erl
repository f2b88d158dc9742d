%% Echo: each requester sends a request to the relay by its registered name; the relay spawns a monitored worker
%% for it (spawn_monitor) and counts the 'DOWN' messages; the worker replies to the requester and ends. The clock
%% runs from the first request to the last reply and the relay's last 'DOWN'. Each requester writes its latencies
%% into its own range of one atomics array, read once the clock has stopped (as the other runtimes fill an array).
-module(bench_echo).
-export([run/2]).

run(Requests, Requesters) ->
    Driver = self(),
    spawn_link(fun() -> register(relay, self()), Driver ! relay_ready, relay(Driver, Requests, 0) end),
    receive relay_ready -> ok end,
    Log = atomics:new(Requests, [{signed, true}]),
    Counts = [Requests div Requesters + min(1, max(0, Requests rem Requesters - I)) || I <- lists:seq(0, Requesters - 1)],
    Firsts = lists:reverse(tl(lists:foldl(fun(Count, [First | _] = Acc) -> [First + Count | Acc] end, [1], Counts))),
    Start = wisp_bench:now_ns(),
    [spawn_link(fun() -> requests(Log, First, First + Count), Driver ! requester_done end)
     || {First, Count} <- lists:zip(Firsts, Counts)],
    [receive requester_done -> ok end || _ <- Counts],
    receive all_exited -> ok after 10000 -> ok end,   % else reported as a count below the request count
    Elapsed = wisp_bench:now_ns() - Start,
    relay ! {count, self()},
    Exits = receive {exits, N} -> N end,
    [{elapsed_ns, Elapsed}, {exits, Exits}, {latencies_ns, [atomics:get(Log, I) || I <- lists:seq(1, Requests)]}].

relay(Driver, Expected, Seen) ->
    receive
        {echo, From, Data} ->
            spawn_monitor(fun() -> From ! {reply, Data} end),
            relay(Driver, Expected, Seen);
        {'DOWN', _, process, _, _} when Seen + 1 =:= Expected ->
            Driver ! all_exited,
            relay(Driver, Expected, Seen + 1);
        {'DOWN', _, process, _, _} ->
            relay(Driver, Expected, Seen + 1);
        {count, From} ->
            From ! {exits, Seen}
    end.

%% Requests I = First .. End - 1, each latency into Log[I].
requests(_, End, End) -> ok;
requests(Log, I, End) ->
    T0 = wisp_bench:now_ns(),
    relay ! {echo, self(), <<"ping">>},
    receive {reply, _} -> ok end,
    atomics:put(Log, I, wisp_bench:now_ns() - T0),
    requests(Log, I + 1, End).
