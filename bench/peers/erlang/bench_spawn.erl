%% Spawn: the parent spawns monitored children (at most Window alive) and sends each one message; a child ends on
%% it, and for each 'DOWN' the parent spawns the next.
-module(bench_spawn).
-export([run/2]).

run(Children, Window) ->
    Start = wisp_bench:now_ns(),
    Initial = min(Window, Children),
    [spawn_child() || _ <- lists:seq(1, Initial)],
    await(Children - Initial, Children),
    wisp_bench:now_ns() - Start.

spawn_child() ->
    {Pid, _} = spawn_monitor(fun() -> receive go -> ok end end),
    Pid ! go.

await(_, 0) -> ok;
await(ToSpawn, Running) ->
    receive
        {'DOWN', _, process, _, _} when ToSpawn > 0 -> spawn_child(), await(ToSpawn - 1, Running - 1);
        {'DOWN', _, process, _, _} -> await(0, Running - 1)
    end.
