using System.Diagnostics;

namespace Wisp.Workloads;

/// <summary>
/// The workloads in Erlang (bench/peers/erlang): processes, spawn_monitor and 'DOWN', register for names. Compiled
/// with <c>erlc</c>, run by <c>erl</c> with its default schedulers.
/// </summary>
public sealed class ErlangBench : ExternalBench
{
    public override string Name => "erlang";
    protected override string[] Tools => ["erl", "erlc"];
    protected override string Packages => "erlang-base";
    protected override string Folder => "erlang";
    protected override string[] SourcePatterns => ["*.erl"];

    protected override ProcessStartInfo BuildCommand(string sources, string output) =>
        new("erlc", ["-o", output, .. Directory.GetFiles(sources, "*.erl").Order(StringComparer.Ordinal)]);

    /// <summary>
    /// +P: room for idle-1m's million processes and skynet's 1,111,111 at once (the default is 262,144); +t: room for
    /// idle-1m's million names, which register takes as atoms (the default is 1,048,576 atoms).
    /// </summary>
    protected override ProcessStartInfo StartCommand(string output) =>
        new("erl", ["-noshell", "+P", "2097152", "+t", "4194304", "-pa", output, "-s", "wisp_bench", "main"]);
}
