using System.Net.Http.Json;
using System.Text.Json;
using Wisp.Hosting;

namespace Wisp.Dashboard.Tests;

/// <summary>
/// The C# echo service on a node with its dashboard on a free loopback port, a <see cref="Chatter"/> keeping it busy,
/// and an HTTP client of the dashboard; disposing it stops the node, and with it the dashboard.
/// </summary>
internal sealed class DashboardNode : IAsyncDisposable
{
    public const string Token = "test-token";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DashboardNode(WispRuntime runtime, DashboardExtension dashboard, Pid relay, Pid chatter)
    {
        Runtime = runtime;
        Dashboard = dashboard;
        Relay = relay;
        Chatter = chatter;
        Http = new HttpClient { BaseAddress = dashboard.Address, Timeout = Deadline };
    }

    public WispRuntime Runtime { get; }
    public DashboardExtension Dashboard { get; }
    public Node Node => Runtime.Node;
    public Pid Relay { get; }
    public Pid Chatter { get; }
    public HttpClient Http { get; }

    public static async Task<DashboardNode> StartAsync()
    {
        var dashboard = new DashboardExtension(new DashboardOptions
        {
            Address = "127.0.0.1:0", Token = Token, Interval = TimeSpan.FromMilliseconds(200),
        });
        var runtime = WispRuntime.Load(dashboard.ForRuntime(new WispRuntimeOptions
        {
            SourceDirectory = Path.Combine(AppContext.BaseDirectory, "src"),
            Assemblies = [typeof(EchoService.Relay).Assembly],
            Input = TextReader.Null, Output = TextWriter.Null, Error = TextWriter.Null,
            HostStopTimeout = TimeSpan.FromSeconds(5),
        }));
        await runtime.StartAsync();
        var relay = await Until(() => runtime.Node.Registry.Lookup("relay"), "the relay to register");
        var chatter = runtime.Node.Spawn("app:processes", Tests.Chatter.Run);
        return new DashboardNode(runtime, dashboard, relay, chatter);
    }

    public async Task<T> GetAsync<T>(string path) =>
        (await Http.GetFromJsonAsync<T>(path, Json)) ?? throw new InvalidOperationException($"GET {path}: null");

    /// <summary>The first value <paramref name="read"/> gives that is not null, polled until the deadline.</summary>
    public static async Task<T> Until<T>(Func<T?> read, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            if (read() is { } value) return value;
            await Task.Delay(20);
        }
        throw new TimeoutException($"waited {Deadline.TotalSeconds} s for {what}");
    }

    public static string Escaped(Pid pid) => Uri.EscapeDataString(pid.ToString());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Runtime.ShutdownAsync().WaitAsync(Deadline);
    }
}
