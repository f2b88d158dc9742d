%% Fan-out: subscribers spawned before the clock; a publisher sends the same message to every subscriber, Rounds
%% times; the clock stops when every subscriber has received all of them.
-module(bench_fanout).
-export([run/2]).

run(Subscribers, Rounds) ->
    Driver = self(),
    Subs = [spawn_link(fun() -> subscriber(Rounds, Driver) end) || _ <- lists:seq(1, Subscribers)],
    Start = wisp_bench:now_ns(),
    spawn_link(fun() -> publish(Subs, Rounds) end),
    [receive subscriber_done -> ok end || _ <- Subs],
    wisp_bench:now_ns() - Start.

subscriber(0, Driver) -> Driver ! subscriber_done;
subscriber(N, Driver) -> receive tick -> subscriber(N - 1, Driver) end.

publish(_, 0) -> ok;
publish(Subs, Rounds) ->
    [Sub ! tick || Sub <- Subs],
    publish(Subs, Rounds - 1).
