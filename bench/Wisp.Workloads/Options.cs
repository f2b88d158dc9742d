using System.Globalization;
using System.Text.Json;

namespace Wisp.Workloads;

public sealed class Options
{
    public Sizes Sizes { get; private set; } = new();
    public int Launches { get; private set; } = 3;
    public int BigLaunches { get; private set; } = 1;
    public List<Workload> Workloads { get; private set; } = [.. Workload.All];
    public List<RuntimeBench> Runtimes { get; private set; } = [.. Program.Runtimes];
    public bool ServerGc { get; private set; }
    public string? MarkdownPath { get; private set; }
    public string? JsonPath { get; private set; }
    public bool ShowHelp { get; private set; }
    public string? SingleRuntime { get; private set; }
    public string? SingleWorkload { get; private set; }

    public const string Help = """
        Wisp.Workloads: the same workloads on Wisp, Akka.NET and Proto.Actor (default and tuned), each launch in its own child process.

        usage: Wisp.Workloads [options]
          --quick                   tiny sizes, 1 launch, no warm-up (a smoke run: well under a minute)
          --launches N              launches per workload and runtime (default 3)
          --big-launches N          launches of idle-1m (default 1)
          --workloads a,b,...       echo-seq, echo-16, echo-256, spawn, idle, idle-1m, pingpong, roundtrip, skynet, fanout (default: all)
          --runtimes a,b,...        wisp, akka, akka-tuned, proto, proto-tuned, wisp-lua, go, erlang (default: all; go and erlang where installed)
          --echo N                  requests of echo-seq (default 100000)
          --echo-concurrent N       requests of echo-16 and echo-256, over all requesters (default 256000)
          --spawn N                 children of the spawn workload (default 200000; up to 1000000)
          --spawn-window N          children alive at once in the spawn workload (default 1000)
          --idle N                  processes of the idle workload (default 100000)
          --idle-big N              processes of idle-1m (default 1000000)
          --pingpong N              round trips per pair (default 1000000)
          --pingpong-pairs N        (default 4)        --pingpong-window N   (default 100)
          --roundtrip N             round trips of the roundtrip workload, one message in flight (default 1000000)
          --skynet N                skynet leaves, a power of 10 (default 1000000)
          --fanout-subscribers N    (default 1000)     --fanout-rounds N     (default 1000)
          --no-warmup               measure without the warm-up passes (≈1/10 size) each launch runs first
          --timeout S               per-workload timeout in seconds (default 180)
          --server-gc               run the children with the server GC (default: workstation, concurrent)
          --markdown FILE           also write the report (machine, table, every launch) as markdown
          --json FILE               also write every launch's figures as JSON
          --single RUNTIME WORKLOAD run one launch in this process and print one '@@RESULT {json}' line (used by the harness)
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        bool quick = args.Contains("--quick");
        if (quick)
        {
            o.Launches = 1;
            o.Sizes = new Sizes
            {
                EchoRequests = 2_000, EchoConcurrentRequests = 4_096, SpawnChildren = 5_000, IdleProcesses = 5_000,
                IdleBigProcesses = 20_000, PingPongRoundTrips = 20_000, RoundTrips = 20_000, Skynet = 10_000, FanoutSubscribers = 1_000,
                FanoutRounds = 20, Warmup = false, TimeoutSeconds = 30,
            };
        }
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => ++i < args.Length ? args[i] : throw new ArgumentException($"{a} needs a value");
            int Int() => int.TryParse(Next(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{a}: a positive number, got '{args[i]}'");
            switch (a)
            {
                case "--quick": break;
                case "-h" or "--help": o.ShowHelp = true; break;
                case "--launches": o.Launches = Int(); break;
                case "--big-launches": o.BigLaunches = Int(); break;
                case "--workloads":
                    o.Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(id => Workload.Find(id) ?? throw new ArgumentException($"unknown workload '{id}'")).ToList();
                    break;
                case "--runtimes":
                    o.Runtimes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Where(id => !ExternalPeers.IsMissing(id))
                        .Select(id => Program.Runtimes.FirstOrDefault(r => r.Name == id) ?? throw new ArgumentException($"unknown runtime '{id}'")).ToList();
                    break;
                case "--echo": o.Sizes = o.Sizes with { EchoRequests = Int() }; break;
                case "--echo-concurrent": o.Sizes = o.Sizes with { EchoConcurrentRequests = Int() }; break;
                case "--spawn": o.Sizes = o.Sizes with { SpawnChildren = Int() }; break;
                case "--spawn-window": o.Sizes = o.Sizes with { SpawnWindow = Int() }; break;
                case "--idle": o.Sizes = o.Sizes with { IdleProcesses = Int() }; break;
                case "--idle-big": o.Sizes = o.Sizes with { IdleBigProcesses = Int() }; break;
                case "--pingpong": o.Sizes = o.Sizes with { PingPongRoundTrips = Int() }; break;
                case "--pingpong-pairs": o.Sizes = o.Sizes with { PingPongPairs = Int() }; break;
                case "--pingpong-window": o.Sizes = o.Sizes with { PingPongWindow = Int() }; break;
                case "--roundtrip": o.Sizes = o.Sizes with { RoundTrips = Int() }; break;
                case "--skynet":
                    int leaves = Int();
                    if (Math.Abs(Math.Log10(leaves) - Math.Round(Math.Log10(leaves))) > 1e-9 || leaves < 10)
                        throw new ArgumentException("--skynet: a power of 10 (>= 10)");
                    o.Sizes = o.Sizes with { Skynet = leaves };
                    break;
                case "--fanout-subscribers": o.Sizes = o.Sizes with { FanoutSubscribers = Int() }; break;
                case "--fanout-rounds": o.Sizes = o.Sizes with { FanoutRounds = Int() }; break;
                case "--no-warmup": o.Sizes = o.Sizes with { Warmup = false }; break;
                case "--timeout": o.Sizes = o.Sizes with { TimeoutSeconds = Int() }; break;
                case "--server-gc": o.ServerGc = true; break;
                case "--markdown": o.MarkdownPath = Next(); break;
                case "--json": o.JsonPath = Next(); break;
                case "--sizes-json": o.Sizes = JsonSerializer.Deserialize<Sizes>(Next()) ?? throw new ArgumentException("bad --sizes-json"); break;
                case "--single":
                    o.SingleRuntime = Next();
                    o.SingleWorkload = Next();
                    break;
                default: throw new ArgumentException($"unknown option '{a}'");
            }
        }
        return o;
    }
}
