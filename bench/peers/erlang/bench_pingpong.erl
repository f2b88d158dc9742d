%% Ping-pong: pairs of processes; a ping carries the pinger's pid, the ponger answers pong to it. A pinger keeps
%% Window pings in flight until RoundTrips pongs have come back.
-module(bench_pingpong).
-export([run/3, ponger/0]).   % ponger/0: bench_roundtrip's B too

run(Pairs, Window, RoundTrips) ->
    Driver = self(),
    Pongers = [spawn(fun ponger/0) || _ <- lists:seq(1, Pairs)],
    Start = wisp_bench:now_ns(),
    [spawn_link(fun() -> pinger(Ponger, Window, RoundTrips, Driver) end) || Ponger <- Pongers],
    [receive pinger_done -> ok end || _ <- Pongers],
    Elapsed = wisp_bench:now_ns() - Start,
    [exit(Ponger, kill) || Ponger <- Pongers],
    Elapsed.

ponger() ->
    receive {ping, From} -> From ! pong, ponger() end.

pinger(Ponger, Window, Total, Driver) ->
    Ping = {ping, self()},
    Initial = min(Window, Total),
    [Ponger ! Ping || _ <- lists:seq(1, Initial)],
    pongs(Ponger, Ping, Total - Initial, Total),
    Driver ! pinger_done.

pongs(_, _, _, 0) -> ok;
pongs(Ponger, Ping, ToSend, ToReceive) ->
    receive pong -> ok end,
    case ToSend of
        0 -> pongs(Ponger, Ping, 0, ToReceive - 1);
        _ -> Ponger ! Ping, pongs(Ponger, Ping, ToSend - 1, ToReceive - 1)
    end.
