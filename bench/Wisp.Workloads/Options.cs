using System.CommandLine;
using static Wisp.Workloads.CommandLineParts;

namespace Wisp.Workloads;

/// <summary>The harness's command line: what to run, how often, at which sizes.</summary>
public sealed class Options
{
    public Sizes Sizes { get; private init; } = new();
    public int Launches { get; private init; } = 3;
    public int BigLaunches { get; private init; } = 1;
    public List<Workload> Workloads { get; private init; } = [.. Workload.All];
    public List<RuntimeBench> Runtimes { get; private init; } = [.. Program.Runtimes];
    public bool ServerGc { get; private init; }
    public string? MarkdownPath { get; private init; }
    public string? JsonPath { get; private init; }
    public string? SingleRuntime { get; private init; }
    public string? SingleWorkload { get; private init; }
    public bool SampleAllocations { get; private init; }

    /// <summary>The sizes of <c>--quick</c>.</summary>
    private static readonly Sizes Quick = new()
    {
        EchoRequests = 2_000, EchoConcurrentRequests = 4_096, SpawnChildren = 5_000, IdleProcesses = 5_000,
        IdleBigProcesses = 20_000, PingPongRoundTrips = 20_000, RoundTrips = 20_000, Skynet = 10_000, FanoutSubscribers = 1_000,
        FanoutRounds = 20, Warmup = false, TimeoutSeconds = 30,
    };

    /// <summary>The options, or null when the command line asked for help or was wrong (see <see cref="CommandLineParts.Parse"/>).</summary>
    public static Options? Parse(string[] args, out int exitCode)
    {
        var line = new Line();
        return CommandLineParts.Parse(line.Root, args, out exitCode) is { } parse ? line.Read(parse) : null;
    }

    private sealed class Line
    {
        private readonly Option<bool> _quick = new("--quick") { Description = "Tiny sizes, 1 launch, no warm-up (a smoke run: well under a minute)" };
        private readonly Option<int> _launches = Positive("--launches", "Launches per workload and runtime (default 3)");
        private readonly Option<int> _bigLaunches = Positive("--big-launches", "Launches of idle-1m (default 1)");
        private readonly Option<List<Workload>> _workloads = new("--workloads")
        {
            Description = $"Comma-separated, of {string.Join(", ", Workload.All.Select(w => w.Id))} (default: all)",
            CustomParser = Names(Workload.Find, "workload"),
        };
        private readonly Option<List<RuntimeBench>> _runtimes = new("--runtimes")
        {
            Description = "Comma-separated, of wisp, akka, akka-tuned, proto, proto-tuned, wisp-lua, go, erlang (default: all; go and erlang where installed)",
            CustomParser = Names(name => Program.Runtimes.FirstOrDefault(r => r.Name == name), "runtime", ExternalPeers.IsMissing),
        };
        private readonly Option<int> _echo = Positive("--echo", "Requests of echo-seq (default 100000)");
        private readonly Option<int> _echoConcurrent = Positive("--echo-concurrent", "Requests of echo-16 and echo-256, over all requesters (default 256000)");
        private readonly Option<int> _spawn = Positive("--spawn", "Children of the spawn workload (default 200000; up to 1000000)");
        private readonly Option<int> _spawnWindow = Positive("--spawn-window", "Children alive at once in the spawn workload (default 1000)");
        private readonly Option<int> _idle = Positive("--idle", "Processes of the idle workload (default 100000)");
        private readonly Option<int> _idleBig = Positive("--idle-big", "Processes of idle-1m (default 1000000)");
        private readonly Option<int> _pingpong = Positive("--pingpong", "Round trips per ping-pong pair (default 1000000)");
        private readonly Option<int> _pingpongPairs = Positive("--pingpong-pairs", "Ping-pong pairs (default 4)");
        private readonly Option<int> _pingpongWindow = Positive("--pingpong-window", "Pings in flight per pair (default 100)");
        private readonly Option<int> _roundtrip = Positive("--roundtrip", "Round trips of the roundtrip workload, one message in flight (default 1000000)");
        private readonly Option<int> _skynet = Positive("--skynet", "Skynet leaves, a power of 10 (default 1000000)");
        private readonly Option<int> _fanoutSubscribers = Positive("--fanout-subscribers", "Fan-out subscribers (default 1000)");
        private readonly Option<int> _fanoutRounds = Positive("--fanout-rounds", "Fan-out rounds (default 1000)");
        private readonly Option<bool> _noWarmup = new("--no-warmup") { Description = "Measure without the warm-up passes (≈1/10 size) each launch runs first" };
        private readonly Option<int> _timeout = Positive("--timeout", "Per-workload timeout in seconds (default 180)");
        private readonly Option<bool> _serverGc = new("--server-gc") { Description = "Run the children with the server GC (default: workstation, concurrent)" };
        private readonly Option<string?> _markdown = new("--markdown") { Description = "Also write the report (machine, table, every launch) as markdown to this file" };
        private readonly Option<string?> _json = new("--json") { Description = "Also write every launch's figures as JSON to this file" };
        private readonly Option<string[]> _single = new("--single")
        {
            Description = "RUNTIME WORKLOAD: run one launch in this process and print one '@@RESULT {json}' line (the harness's children)",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        private readonly Option<bool> _allocations = new("--allocations")
        {
            Description = "With --single: also print the measure's allocations by type, sampled by the runtime's GCAllocationTick event (slows the launch)",
        };
        private readonly Option<Sizes?> _sizesJson = new("--sizes-json") { Hidden = true, CustomParser = Json<Sizes>("--sizes-json") };   // the sizes the harness gives a child

        public RootCommand Root { get; }

        public Line()
        {
            _runtimes.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<List<RuntimeBench>>() is { Count: 0 })
                    r.AddError("--runtimes: none of them is installed here (go and erlang need `go` and `erl` on PATH)");
            });
            _skynet.Validators.Add(r =>
            {
                double exponent = Math.Log10(r.GetValueOrDefault<int>());
                if (exponent < 1 || Math.Abs(exponent - Math.Round(exponent)) > 1e-9) r.AddError("--skynet: a power of 10 (>= 10)");
            });
            Root = new RootCommand("Wisp.Workloads: the same workloads on Wisp, Akka.NET and Proto.Actor (default and tuned), each launch in its own child process.")
            {
                _quick, _launches, _bigLaunches, _workloads, _runtimes, _echo, _echoConcurrent, _spawn, _spawnWindow, _idle, _idleBig,
                _pingpong, _pingpongPairs, _pingpongWindow, _roundtrip, _skynet, _fanoutSubscribers, _fanoutRounds, _noWarmup,
                _timeout, _serverGc, _markdown, _json, _single, _allocations, _sizesJson,
            };
        }

        public Options Read(ParseResult parse)
        {
            bool quick = parse.GetValue(_quick);
            var sizes = parse.GetValue(_sizesJson) ?? (quick ? Quick : new Sizes());
            sizes = sizes with
            {
                EchoRequests = parse.Or(_echo, sizes.EchoRequests),
                EchoConcurrentRequests = parse.Or(_echoConcurrent, sizes.EchoConcurrentRequests),
                SpawnChildren = parse.Or(_spawn, sizes.SpawnChildren),
                SpawnWindow = parse.Or(_spawnWindow, sizes.SpawnWindow),
                IdleProcesses = parse.Or(_idle, sizes.IdleProcesses),
                IdleBigProcesses = parse.Or(_idleBig, sizes.IdleBigProcesses),
                PingPongRoundTrips = parse.Or(_pingpong, sizes.PingPongRoundTrips),
                PingPongPairs = parse.Or(_pingpongPairs, sizes.PingPongPairs),
                PingPongWindow = parse.Or(_pingpongWindow, sizes.PingPongWindow),
                RoundTrips = parse.Or(_roundtrip, sizes.RoundTrips),
                Skynet = parse.Or(_skynet, sizes.Skynet),
                FanoutSubscribers = parse.Or(_fanoutSubscribers, sizes.FanoutSubscribers),
                FanoutRounds = parse.Or(_fanoutRounds, sizes.FanoutRounds),
                Warmup = sizes.Warmup && !parse.GetValue(_noWarmup),
                TimeoutSeconds = parse.Or(_timeout, sizes.TimeoutSeconds),
            };
            string[] single = parse.Or(_single, []);   // its two values when given (the option's arity)
            return new Options
            {
                Sizes = sizes,
                Launches = parse.Or(_launches, quick ? 1 : 3),
                BigLaunches = parse.Or(_bigLaunches, 1),
                Workloads = parse.Or(_workloads, [.. Workload.All]),
                Runtimes = parse.Or(_runtimes, [.. Program.Runtimes]),
                ServerGc = parse.GetValue(_serverGc),
                MarkdownPath = parse.GetValue(_markdown),
                JsonPath = parse.GetValue(_json),
                SingleRuntime = single.Length == 2 ? single[0] : null,
                SingleWorkload = single.Length == 2 ? single[1] : null,
                SampleAllocations = parse.GetValue(_allocations),
            };
        }
    }
}
