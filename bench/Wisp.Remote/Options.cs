using System.CommandLine;
using static Wisp.Workloads.CommandLineParts;

namespace Wisp.Remote;

/// <summary>Sizes and switches of one run; the orchestrator hands the same object to every client child.</summary>
public sealed record Sizes
{
    public int OneWayMessages { get; init; } = 3_000_000;
    public int EchoRequests { get; init; } = 20_000;            // echo-seq: one requester
    public int EchoConcurrentRequests { get; init; } = 160_000; // echo-16: over all requesters
    public int PushMessages { get; init; } = 10_000_000;
    public bool Warmup { get; init; } = true;
    public int TimeoutSeconds { get; init; } = 120;
    public int PushTimeoutSeconds { get; init; } = 300;

    /// <summary>Wisp's queue bound on node A (ClusterOptions.MaxQueuedBytes) in MiB; 0: Wisp's default.</summary>
    public int WispQueueMb { get; init; }

    /// <summary>The warm-up pass a client runs before it measures: the same code on about a tenth of the work.</summary>
    public Sizes ForWarmup() => this with
    {
        OneWayMessages = Math.Max(10_000, OneWayMessages / 10),
        EchoRequests = Math.Max(500, EchoRequests / 10),
        EchoConcurrentRequests = Math.Max(1_600, EchoConcurrentRequests / 10),
    };
}

/// <summary>The harness's command line: what to run, how often, at which sizes; and the children's roles.</summary>
public sealed class Options
{
    public Sizes Sizes { get; private init; } = new();
    public int Launches { get; private init; } = 3;
    public int PushLaunches { get; private init; } = 1;
    public List<Workload> Workloads { get; private init; } = [.. Workload.All];
    public List<RemoteRuntime> Runtimes { get; private init; } = [.. RemoteRuntime.All];
    public int MemoryCapMb { get; private init; } = 4096;
    public string? MarkdownPath { get; private init; }
    public string? JsonPath { get; private init; }

    /// <summary>Set in a server child: the runtime whose node B it runs.</summary>
    public string? ServerRuntime { get; private init; }

    /// <summary>Set in a client child: the runtime and the workload its node A runs.</summary>
    public string? ClientRuntime { get; private init; }
    public string? ClientWorkload { get; private init; }
    public int Port { get; private init; }

    /// <summary>The sizes of <c>--quick</c>.</summary>
    private static readonly Sizes Quick = new()
    {
        OneWayMessages = 20_000, EchoRequests = 500, EchoConcurrentRequests = 1_600, PushMessages = 100_000,
        Warmup = false, TimeoutSeconds = 20, PushTimeoutSeconds = 20,
    };

    /// <summary>The options, or null when the command line asked for help or was wrong (see <see cref="Wisp.Workloads.CommandLineParts.Parse"/>).</summary>
    public static Options? Parse(string[] args, out int exitCode)
    {
        var line = new Line();
        return Wisp.Workloads.CommandLineParts.Parse(line.Root, args, out exitCode) is { } parse ? line.Read(parse) : null;
    }

    private sealed class Line
    {
        private readonly Option<bool> _quick = new("--quick") { Description = "Tiny sizes, 1 launch, no warm-up (a smoke run: under a minute)" };
        private readonly Option<int> _launches = Positive("--launches", "Launches of oneway, echo-seq and echo-16 per runtime (default 3)");
        private readonly Option<int> _pushLaunches = Positive("--push-launches", "Launches of push (default 1)");
        private readonly Option<List<Workload>> _workloads = new("--workloads")
        {
            Description = $"Comma-separated, of {string.Join(", ", Workload.All.Select(w => w.Id))} (default: all)",
            CustomParser = Names(id => Workload.All.FirstOrDefault(w => w.Id == id), "workload"),
        };
        private readonly Option<List<RemoteRuntime>> _runtimes = new("--runtimes")
        {
            Description = $"Comma-separated, of {string.Join(", ", RemoteRuntime.All.Select(r => r.Name))} (default: all)",
            CustomParser = Names(name => RemoteRuntime.All.FirstOrDefault(r => r.Name == name), "runtime"),
        };
        private readonly Option<int> _oneway = Positive("--oneway", "Messages of oneway (default 3000000)");
        private readonly Option<int> _echo = Positive("--echo", "Requests of echo-seq (default 20000)");
        private readonly Option<int> _echoConcurrent = Positive("--echo-concurrent", "Requests of echo-16 over its 16 requesters (default 160000)");
        private readonly Option<int> _push = Positive("--push", "Messages of push (default 10000000)");
        private readonly Option<bool> _noWarmup = new("--no-warmup") { Description = "Measure without the warm-up passes (≈1/10 size) each client runs first" };
        private readonly Option<int> _timeout = Positive("--timeout", "A client's timeout in seconds, push excepted (default 120)");
        private readonly Option<int> _pushTimeout = Positive("--push-timeout", "Push's timeout in seconds (default 300)");
        private readonly Option<int> _memoryCap = Positive("--memory-cap", "A child whose RSS passes this many MB is killed and the launch fails (default 4096)");
        private readonly Option<int> _wispQueueMb = Positive("--wisp-queue-mb", "Wisp's queue bound to one node on node A, MiB (default: Wisp's, 256)");
        private readonly Option<string?> _markdown = new("--markdown") { Description = "Also write the report (machine, table, targets, every launch) as markdown to this file" };
        private readonly Option<string?> _json = new("--json") { Description = "Also write every launch's figures as JSON to this file" };
        private readonly Option<string?> _server = new("--server") { Description = "RUNTIME: run node B on --port (the harness's children)" };
        private readonly Option<string[]> _client = new("--client")
        {
            Description = "RUNTIME WORKLOAD: run node A against --port and print '@@RESULT {json}' (the harness's children)",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        private readonly Option<int> _port = Positive("--port", "Node B's port (the harness's children)");
        private readonly Option<Sizes?> _sizesJson = new("--sizes-json") { Hidden = true, CustomParser = Json<Sizes>("--sizes-json") };   // the sizes the harness gives a client

        public RootCommand Root { get; }

        public Line()
        {
            Root = new RootCommand(
                "Wisp.Remote: two nodes as two OS processes on loopback, Wisp vs Akka.NET remote vs Proto.Remote, the same workloads in the " +
                "same run. Each launch of a workload on a runtime starts node B (a server child: a sink and an echo on a free loopback port) " +
                "and node A (a client child that runs the workload and prints '@@RESULT {json}').")
            {
                _quick, _launches, _pushLaunches, _workloads, _runtimes, _oneway, _echo, _echoConcurrent, _push, _noWarmup, _timeout,
                _pushTimeout, _memoryCap, _wispQueueMb, _markdown, _json, _server, _client, _port, _sizesJson,
            };
            Root.Validators.Add(r =>
            {
                if ((r.GetResult(_server) ?? (object?)r.GetResult(_client)) is not null && r.GetResult(_port) is null)
                    r.AddError("--server and --client need --port");
            });
        }

        public Options Read(ParseResult parse)
        {
            bool quick = parse.GetValue(_quick);
            var sizes = parse.GetValue(_sizesJson) ?? (quick ? Quick : new Sizes());
            sizes = sizes with
            {
                OneWayMessages = parse.Or(_oneway, sizes.OneWayMessages),
                EchoRequests = parse.Or(_echo, sizes.EchoRequests),
                EchoConcurrentRequests = parse.Or(_echoConcurrent, sizes.EchoConcurrentRequests),
                PushMessages = parse.Or(_push, sizes.PushMessages),
                Warmup = sizes.Warmup && !parse.GetValue(_noWarmup),
                TimeoutSeconds = parse.Or(_timeout, sizes.TimeoutSeconds),
                PushTimeoutSeconds = parse.Or(_pushTimeout, sizes.PushTimeoutSeconds),
                WispQueueMb = parse.Or(_wispQueueMb, sizes.WispQueueMb),
            };
            string[] client = parse.Or(_client, []);   // its two values when given (the option's arity)
            return new Options
            {
                Sizes = sizes,
                Launches = parse.Or(_launches, quick ? 1 : 3),
                PushLaunches = parse.Or(_pushLaunches, 1),
                Workloads = parse.Or(_workloads, [.. Workload.All]),
                Runtimes = parse.Or(_runtimes, [.. RemoteRuntime.All]),
                MemoryCapMb = parse.Or(_memoryCap, 4096),
                MarkdownPath = parse.GetValue(_markdown),
                JsonPath = parse.GetValue(_json),
                ServerRuntime = parse.GetValue(_server),
                ClientRuntime = client.Length == 2 ? client[0] : null,
                ClientWorkload = client.Length == 2 ? client[1] : null,
                Port = parse.Or(_port, 0),
            };
        }
    }
}
