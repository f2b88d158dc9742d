%% Skynet: every node is a process, spawned without arguments and told its work in one start message; a node of
%% size 1 replies its number to the start message's sender, any other spawns 10 children and replies the sum of
%% theirs.
-module(bench_skynet).
-export([run/1, node/0]).

run(Leaves) ->
    Start = wisp_bench:now_ns(),
    start(0, Leaves),
    Sum = receive {sum, S} -> S end,
    [{elapsed_ns, wisp_bench:now_ns() - Start}, {sum, Sum}].

start(Num, Size) ->
    spawn(?MODULE, node, []) ! {start, self(), Num, Size}.

node() ->
    receive
        {start, From, Num, 1} ->
            From ! {sum, Num};
        {start, From, Num, Size} ->
            Sub = Size div 10,
            [start(Num + I * Sub, Sub) || I <- lists:seq(0, 9)],
            From ! {sum, sum(10, 0)}
    end.

sum(0, Sum) -> Sum;
sum(N, Sum) -> receive {sum, S} -> sum(N - 1, Sum + S) end.
