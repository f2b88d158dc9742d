using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wisp.Hosting;
using Wisp.Testing;

namespace Wisp.Extensions.Hosting.Tests;

/// <summary>
/// A .NET host with a Wisp node for one test: configuration from memory (no environment variables, no appsettings),
/// entry files written to a temp folder that <c>Wisp:SourceDirectory</c> names when <c>yaml</c> is given (with the
/// <c>files</c> its entries name, by their path under <c>src/</c>), the test's processes in this assembly, and the host's
/// logs captured.
/// </summary>
internal sealed class NodeHost : IAsyncDisposable
{
    /// <summary>How long a test waits for a start, a stop or a reply before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();

    public NodeHost(Action<WispBuilder> entries, IReadOnlyDictionary<string, string?>? settings = null, string? yaml = null,
        Action<HostApplicationBuilder>? configure = null, IReadOnlyDictionary<string, string>? files = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (yaml is not null)
        {
            _folder.Write("src/_index.yaml", yaml);
            foreach (var (path, text) in files ?? new Dictionary<string, string>()) _folder.Write(Path.Combine("src", path), text);
            configuration["Wisp:SourceDirectory"] = Path.Combine(_folder.Path, "src");
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton(Journal);
        builder.Services.AddSingleton<ILoggerFactory>(Logs);
        configure?.Invoke(builder);
        entries(builder.AddWisp().AddAssembly(typeof(NodeHost).Assembly));
        Host = builder.Build();
    }

    public IHost Host { get; }
    public Journal Journal { get; } = new();
    public CapturedLogs Logs { get; } = new();

    /// <summary>The node as the container gives it (what an endpoint would take).</summary>
    public WispRuntime Runtime => Host.Services.GetRequiredService<WispRuntime>();

    public Task StartAsync() => Host.StartAsync().WaitAsync(Deadline);
    public Task StopAsync() => Host.StopAsync().WaitAsync(Deadline);

    /// <summary>
    /// Completes once a process has registered <paramref name="name"/>: a service counts as started when its process is
    /// spawned, before the process registers its name.
    /// </summary>
    public async Task Registered(string name)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (Runtime.Node.Registry.Lookup(name) is null)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no process registered '{name}' within {Deadline.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Calls an entry as a function through the container's runtime: its result, within the deadline.</summary>
    public Task<ExitResult> CallAsync(string entry, params object?[] args) => Runtime.Functions.CallAsync(entry, args).WaitAsync(Deadline);

    /// <summary>Disposes the host (which shuts its node down) within the deadline, so a stop that hangs fails the test instead.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ((IAsyncDisposable)Host).DisposeAsync().AsTask().WaitAsync(Deadline);
        }
        finally
        {
            _folder.Dispose();
        }
    }
}

/// <summary>What the test's processes report (they reach it through the host's services), with a wait for a line.</summary>
public sealed class Journal
{
    private readonly List<string> _lines = [];
    private readonly List<(string Line, TaskCompletionSource Seen)> _waiting = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    public void Record(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiting.Where(w => w.Line == line)) waiter.Seen.TrySetResult();
        }
    }

    /// <summary>Completes once <paramref name="line"/> has been recorded; fails the test after the deadline.</summary>
    public async Task Seen(string line)
    {
        Task seen;
        lock (_lines)
        {
            if (_lines.Contains(line)) return;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((line, waiter));
            seen = waiter.Task;
        }
        if (await Task.WhenAny(seen, Task.Delay(NodeHost.Deadline)) != seen)
            Assert.Fail($"not recorded within {NodeHost.Deadline.TotalSeconds} s: '{line}'; recorded: {string.Join(" | ", Lines)}");
    }
}
