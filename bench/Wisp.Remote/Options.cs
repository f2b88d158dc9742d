using System.Globalization;
using System.Text.Json;

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

public sealed class Options
{
    public Sizes Sizes { get; private set; } = new();
    public int Launches { get; private set; } = 3;
    public int PushLaunches { get; private set; } = 1;
    public List<Workload> Workloads { get; private set; } = [.. Workload.All];
    public List<RemoteRuntime> Runtimes { get; private set; } = [.. RemoteRuntime.All];
    public int MemoryCapMb { get; private set; } = 4096;
    public string? MarkdownPath { get; private set; }
    public string? JsonPath { get; private set; }
    public bool ShowHelp { get; private set; }

    /// <summary>Set in a server child: the runtime whose node B it runs.</summary>
    public string? ServerRuntime { get; private set; }

    /// <summary>Set in a client child: the runtime and the workload its node A runs.</summary>
    public string? ClientRuntime { get; private set; }
    public string? ClientWorkload { get; private set; }
    public int Port { get; private set; }

    public const string Help = """
        Wisp.Remote: two nodes as two OS processes on loopback, Wisp vs Akka.NET remote vs Proto.Remote, the same
        workloads in the same run. Each launch of a workload on a runtime starts node B (a server child: a sink and an
        echo on a free loopback port) and node A (a client child that runs the workload and prints '@@RESULT {json}').

        usage: Wisp.Remote [options]
          --quick                   tiny sizes, 1 launch, no warm-up (a smoke run: under a minute)
          --launches N              launches of oneway, echo-seq and echo-16 per runtime (default 3)
          --push-launches N         launches of push (default 1)
          --workloads a,b,...       oneway, echo-seq, echo-16, push (default: all)
          --runtimes a,b,...        wisp, akka, proto (default: all)
          --oneway N                messages of oneway (default 3000000)
          --echo N                  requests of echo-seq (default 20000)
          --echo-concurrent N       requests of echo-16 over its 16 requesters (default 160000)
          --push N                  messages of push (default 10000000)
          --no-warmup               measure without the warm-up passes (≈1/10 size) each client runs first
          --timeout S               a client's timeout in seconds, push excepted (default 120)
          --push-timeout S          push's timeout in seconds (default 300)
          --memory-cap MB           a child whose RSS passes this is killed and the launch fails (default 4096)
          --wisp-queue-mb N         Wisp's queue bound to one node on node A, MiB (default: Wisp's, 256)
          --markdown FILE           also write the report (machine, table, targets, every launch) as markdown
          --json FILE               also write every launch's figures as JSON
          --server RUNTIME --port P                      run node B (used by the harness)
          --client RUNTIME WORKLOAD --port P --sizes-json J   run node A and print '@@RESULT {json}' (used by the harness)
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        if (args.Contains("--quick"))
        {
            o.Launches = 1;
            o.Sizes = new Sizes
            {
                OneWayMessages = 20_000, EchoRequests = 500, EchoConcurrentRequests = 1_600, PushMessages = 100_000,
                Warmup = false, TimeoutSeconds = 20, PushTimeoutSeconds = 20,
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
                case "--push-launches": o.PushLaunches = Int(); break;
                case "--workloads": o.Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Workload.Find).ToList(); break;
                case "--runtimes": o.Runtimes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(RemoteRuntime.Find).ToList(); break;
                case "--oneway": o.Sizes = o.Sizes with { OneWayMessages = Int() }; break;
                case "--echo": o.Sizes = o.Sizes with { EchoRequests = Int() }; break;
                case "--echo-concurrent": o.Sizes = o.Sizes with { EchoConcurrentRequests = Int() }; break;
                case "--push": o.Sizes = o.Sizes with { PushMessages = Int() }; break;
                case "--no-warmup": o.Sizes = o.Sizes with { Warmup = false }; break;
                case "--timeout": o.Sizes = o.Sizes with { TimeoutSeconds = Int() }; break;
                case "--push-timeout": o.Sizes = o.Sizes with { PushTimeoutSeconds = Int() }; break;
                case "--memory-cap": o.MemoryCapMb = Int(); break;
                case "--wisp-queue-mb": o.Sizes = o.Sizes with { WispQueueMb = Int() }; break;
                case "--markdown": o.MarkdownPath = Next(); break;
                case "--json": o.JsonPath = Next(); break;
                case "--sizes-json": o.Sizes = JsonSerializer.Deserialize<Sizes>(Next()) ?? throw new ArgumentException("bad --sizes-json"); break;
                case "--port": o.Port = Int(); break;
                case "--server": o.ServerRuntime = Next(); break;
                case "--client":
                    o.ClientRuntime = Next();
                    o.ClientWorkload = Next();
                    break;
                default: throw new ArgumentException($"unknown option '{a}'");
            }
        }
        if ((o.ServerRuntime ?? o.ClientRuntime) is not null && o.Port == 0) throw new ArgumentException("--server and --client need --port");
        return o;
    }
}
