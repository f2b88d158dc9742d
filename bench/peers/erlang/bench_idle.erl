%% Idle: Count processes, each registered under its name and waiting in receive. The names (atoms, as register
%% takes) are made before the baseline, as the harness makes them for every runtime; memory is the node's own
%% account, erlang:memory(total) (process heaps and control blocks, the name table, the allocators' overhead), and
%% the resident set, before and after. Then each is stopped through its name, which checks it is registered.
-module(bench_idle).
-export([run/1, idle/2]).

run(Count) ->
    Names = [list_to_atom("idle-" ++ integer_to_list(I)) || I <- lists:seq(0, Count - 1)],
    garbage_collect(),
    Before = erlang:memory(total),
    RssBefore = rss(),
    Start = wisp_bench:now_ns(),
    lists:foreach(fun(Name) -> spawn(?MODULE, idle, [Name, self()]) end, Names),
    parked(Count),
    SpawnNs = wisp_bench:now_ns() - Start,
    timer:sleep(200),   % as the harness waits for every runtime
    garbage_collect(),
    After = erlang:memory(total),
    RssAfter = rss(),
    lists:foreach(fun(Name) -> Name ! stop end, Names),
    [{count, Count}, {spawn_ns, SpawnNs}, {mem_before, Before}, {mem_after, After},
     {rss_before, RssBefore}, {rss_after, RssAfter}].

idle(Name, Parent) ->
    register(Name, self()),
    Parent ! parked,
    receive stop -> ok end.

parked(0) -> ok;
parked(N) -> receive parked -> parked(N - 1) end.

%% VmRSS of this node, in bytes.
rss() ->
    {ok, Status} = file:read_file("/proc/self/status"),
    {match, [Kb]} = re:run(Status, "VmRSS:\\s*(\\d+) kB", [{capture, all_but_first, list}]),
    list_to_integer(Kb) * 1024.
