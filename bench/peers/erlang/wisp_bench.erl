%% Runs bench/Wisp.Workloads' workloads with Erlang processes and monitors. It prints one JSON line naming its
%% runtime, then reads one command per line on standard input ("echo 100000 1", "skynet 1000000", ...), runs it in
%% this node and answers one JSON line. The harness keeps the node alive through a launch's warm-up passes and its
%% measure, as the .NET runtimes live through theirs; it halts when its input closes.
-module(wisp_bench).
-export([main/0, now_ns/0]).

main() ->
    reply([{runtime, iolist_to_binary(io_lib:format("Erlang/OTP ~s, erts ~s, ~b schedulers, ~s",
        [erlang:system_info(otp_release), erlang:system_info(version),
         erlang:system_info(schedulers_online), erlang:system_info(emu_flavor)]))}]),
    loop().

loop() ->
    case io:get_line("") of
        eof -> halt(0);
        {error, _} -> halt(1);
        Line ->
            case string:lexemes(string:trim(Line), " ") of
                [] -> ok;
                [Command | Args] -> reply(run(Command, Args))
            end,
            loop()
    end.

%% Each command runs in a fresh process that is its driver: nothing of one command's heap or mailbox is left for
%% the next, and a crash (of the driver or of a process linked to it) is an answer, not the end of the node.
run(Command, Args) ->
    {_, Ref} = spawn_monitor(fun() -> exit({done, dispatch(Command, [numeral(A) || A <- Args])}) end),
    receive
        {'DOWN', Ref, process, _, {done, Result}} -> Result;
        {'DOWN', Ref, process, _, Reason} -> [{error, iolist_to_binary(io_lib:format("~0p", [Reason]))}]
    end.

dispatch("echo", [Requests, Requesters]) -> bench_echo:run(Requests, Requesters);
dispatch("spawn", [Children, Window]) -> [{elapsed_ns, bench_spawn:run(Children, Window)}];
dispatch("idle", [Count]) -> bench_idle:run(Count);
dispatch("pingpong", [Pairs, Window, RoundTrips]) -> [{elapsed_ns, bench_pingpong:run(Pairs, Window, RoundTrips)}];
dispatch("roundtrip", [RoundTrips]) -> bench_roundtrip:run(RoundTrips);
dispatch("skynet", [Leaves]) -> bench_skynet:run(Leaves);
dispatch("fanout", [Subscribers, Rounds]) -> [{elapsed_ns, bench_fanout:run(Subscribers, Rounds)}];
dispatch(Command, Args) -> exit({bad_command, Command, length(Args)}).

numeral(Text) ->
    case string:to_integer(Text) of
        {N, ""} when N > 0 -> N;
        _ -> exit({not_a_positive_number, Text})
    end.

now_ns() -> erlang:monotonic_time(nanosecond).

%% One JSON object on one line: values are integers, lists of integers or binaries (text without control characters).
reply(Fields) ->
    Pairs = [[$", atom_to_list(K), "\":", value(V)] || {K, V} <- Fields],
    io:put_chars([${, lists:join($,, Pairs), "}\n"]).

value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_binary(V) -> [$", [escape(C) || <<C>> <= V], $"];
value(V) when is_list(V) -> [$[, lists:join($,, [integer_to_list(I) || I <- V]), $]].

escape($") -> "\\\"";
escape($\\) -> "\\\\";
escape(C) -> C.
