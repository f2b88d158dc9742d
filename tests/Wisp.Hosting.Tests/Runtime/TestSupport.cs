using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wisp.Hosting;
using Wisp.Tests.Entries;

namespace Wisp.Tests.Runtime;

/// <summary>Waits for a condition on runtime state, polling with short delays; fails after a generous deadline.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Awaits a task, failing the test (instead of hanging) if it does not complete within the deadline.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)) != task) Assert.Fail($"timed out waiting for: {what}");
        return await task;
    }

    public static async Task Within(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)) != task) Assert.Fail($"timed out waiting for: {what}");
        await task;
    }
}

/// <summary>What test processes saw, keyed by a token unique to each test (test classes run in parallel).</summary>
public static class Probe
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Records = new();

    public static string NewToken() => "t" + Guid.NewGuid().ToString("N");

    public static void Record(string token, string text) => Records.GetOrAdd(token, _ => new()).Enqueue(text);

    public static IReadOnlyList<string> Get(string token) =>
        Records.TryGetValue(token, out var queue) ? queue.ToArray() : [];
}

/// <summary>A runtime booted from a temp <c>src/_index.yaml</c>, with the test assembly for process.dotnet types.</summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private readonly TempFolder _dir = new();

    public TestRuntime(string yaml, string input = "", bool colors = false, ILoggerFactory? loggers = null)
    {
        _dir.Write("src/_index.yaml", yaml);
        Input = new StringReader(input);
        Runtime = WispRuntime.Load(Options(Path.Combine(_dir.Path, "src"), Input, Output, Error, colors) with
        {
            LoggerFactory = loggers ?? NullLoggerFactory.Instance,
        });
    }

    public WispRuntime Runtime { get; }
    public StringReader Input { get; }
    public StringWriter Output { get; } = new();
    public StringWriter Error { get; } = new();

    public static WispRuntimeOptions Options(string src, TextReader input, TextWriter output, TextWriter error, bool colors = false) => new()
    {
        SourceDirectory = src,
        Assemblies = [typeof(TestRuntime).Assembly],
        Input = input,
        Output = output,
        Error = error,
        Colors = colors,
        HostStopTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Loads <paramref name="yaml"/> as a runtime; the temp folder is deleted before returning (for load errors).</summary>
    public static WispRuntime LoadOnly(string yaml)
    {
        using var dir = new TempFolder();
        dir.Write("src/_index.yaml", yaml);
        return WispRuntime.Load(Options(Path.Combine(dir.Path, "src"), new StringReader(""), new StringWriter(), new StringWriter()));
    }

    public Supervisor Service(string id) => Runtime.Service(id) ?? throw new InvalidOperationException($"service {id} not started");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Eventually.Within(Runtime.ShutdownAsync(), "runtime shutdown");
        }
        finally
        {
            _dir.Dispose();
        }
    }
}

/// <summary>Keeps every log line written through it ("category: message"), for tests about logging.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>A logger factory writing to this provider, at every level.</summary>
    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, _lines);

    public void Dispose() { }

    private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)}");
    }
}
