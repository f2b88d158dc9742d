using Microsoft.Extensions.Logging;
using Wisp.Hosting;
using Wisp.Testing;

namespace Wisp.Lua.Tests;

/// <summary>
/// A node booted from entries written to a temporary folder, with the Lua runtime: the tests' way to run Lua
/// processes through the public surface (YAML entries, spawn, exit results). Waits have a generous deadline.
/// </summary>
internal sealed class LuaNode : IAsyncDisposable
{
    public const string Host = "app:processes";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempFolder? _folder;   // a temporary folder this node deletes

    private LuaNode(TempFolder? folder, WispRuntime runtime, LuaRuntime lua, CapturedLogs logs)
    {
        _folder = folder;
        Runtime = runtime;
        Lua = lua;
        Logs = logs;
    }

    public WispRuntime Runtime { get; }
    public Node Node => Runtime.Node;
    public LuaRuntime Lua { get; }
    public CapturedLogs Logs { get; }

    /// <summary>
    /// Writes <paramref name="files"/> (path → text) under src/, with an _index.yaml of namespace app holding a
    /// process.host app:processes and <paramref name="entries"/> (YAML list items), and boots it.
    /// </summary>
    public static async Task<LuaNode> Start(string entries, IReadOnlyDictionary<string, string> files,
        LuaOptions? options = null, string hostSettings = "", TextReader? input = null, TextWriter? output = null)
    {
        var folder = new TempFolder();
        foreach (var (path, text) in files) folder.Write(Path.Combine("src", path), text);
        folder.Write(Path.Combine("src", "_index.yaml"),
            "version: \"1.0\"\nnamespace: app\nentries:\n  - name: processes\n    kind: process.host\n"
            + Indent(hostSettings, "    ") + "  - name: terminal\n    kind: terminal.host\n" + Indent(entries, "  "));
        return await Boot(Path.Combine(folder.Path, "src"), folder, options, input, output, null);
    }

    /// <summary>Boots the entries of an existing source folder (left as it is), its terminal reading <paramref name="input"/>.</summary>
    public static Task<LuaNode> Open(string sourceDirectory, LuaOptions? options = null, TextReader? input = null,
        TextWriter? output = null, TextWriter? error = null) => Boot(sourceDirectory, null, options, input, output, error);

    private static async Task<LuaNode> Boot(string src, TempFolder? temporary, LuaOptions? options, TextReader? input, TextWriter? output,
        TextWriter? error)
    {
        var logs = new CapturedLogs();
        var lua = new LuaRuntime(options);
        var runtime = WispRuntime.Load(new WispRuntimeOptions
        {
            SourceDirectory = src,
            LoggerFactory = logs,
            ProcessKinds = [lua],
            Input = input ?? TextReader.Null,
            Output = output ?? TextWriter.Null,
            Error = error ?? TextWriter.Null,
            HostStopTimeout = TimeSpan.FromSeconds(2),
        });
        await runtime.StartAsync();
        return new LuaNode(temporary, runtime, lua, logs);
    }

    private static string Indent(string text, string prefix) =>
        string.Concat(text.Split('\n').Where(line => line.Trim().Length > 0).Select(line => prefix + line + "\n"));

    /// <summary>Spawns <paramref name="entry"/> on app:processes and waits for its exit.</summary>
    public Task<ExitResult> Run(string entry, params object?[] args) => RunOn(Host, entry, args);

    public async Task<ExitResult> RunOn(string host, string entry, params object?[] args)
    {
        var (_, exited) = Node.SpawnWatched(entry, host, args);
        return await exited.WaitAsync(Deadline);
    }

    /// <summary>Runs <paramref name="entry"/> and returns its value, failing the test on an error exit (with the logs).</summary>
    public async Task<object?> Value(string entry, params object?[] args)
    {
        var result = await Run(entry, args);
        Assert.True(result.Error is null, $"{entry} failed: {result.Error?.Message}\n{Logs}");
        return result.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.ShutdownAsync();
        _folder?.Dispose();
    }
}
