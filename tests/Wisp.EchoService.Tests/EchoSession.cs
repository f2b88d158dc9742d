using System.Reflection;
using Wisp.Hosting;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The echo service booted in this process through the public hosting API, with the CLI's terminal wired to
/// a <see cref="LineInput"/> and two <see cref="TextCapture"/>s, and <c>RunAsync("app:terminal/app:cli")</c>
/// started. Disposing ends the input, waits for the run (interrupting it if it does not end) and shuts the
/// runtime down.
/// </summary>
public sealed class EchoSession : IAsyncDisposable
{
    public const string Target = "app:terminal/app:cli";

    private readonly CancellationTokenSource _interrupt = new();

    private EchoSession(string sourceDirectory, Assembly[] assemblies, IReadOnlyList<IProcessKind> kinds, TimeProvider? time = null)
    {
        Runtime = WispRuntime.Load(new WispRuntimeOptions
        {
            SourceDirectory = sourceDirectory,
            Assemblies = [typeof(global::EchoService.Relay).Assembly, .. assemblies],
            ProcessKinds = kinds,
            Input = Input,
            Output = Output,
            Error = Error,
            Time = time ?? TimeProvider.System,
        });
        Run = Task.Run(() => Runtime.RunAsync(Target, _interrupt.Token));
    }

    public LineInput Input { get; } = new();
    public TextCapture Output { get; } = new("output");
    public TextCapture Error { get; } = new("error");
    public WispRuntime Runtime { get; }
    public Node Node => Runtime.Node;

    /// <summary>RunAsync's task: the exit code.</summary>
    public Task<int> Run { get; }

    /// <summary>Boots the entries in <paramref name="sourceDirectory"/> (default: the src folder beside the program).</summary>
    public static EchoSession Start(string? sourceDirectory = null, params Assembly[] assemblies) =>
        new(sourceDirectory ?? EchoProgram.SourceDirectory, assemblies, []);

    /// <summary>Boots the seed's Lua echo service (or the entries in <paramref name="sourceDirectory"/>) with the Lua runtime.</summary>
    public static EchoSession StartLua(string? sourceDirectory = null, params Assembly[] assemblies) =>
        new(sourceDirectory ?? SeedFolder.SourceDirectory, assemblies, [new Wisp.Lua.LuaRuntime()]);

    /// <summary>The C# or the Lua echo service on <paramref name="time"/>: its timers (restart backoff, reply timeouts) move only with it.</summary>
    public static EchoSession OnClock(TimeProvider time, bool lua = false) => lua
        ? new(SeedFolder.SourceDirectory, [], [new Wisp.Lua.LuaRuntime()], time)
        : new(EchoProgram.SourceDirectory, [], [], time);

    /// <summary>Ctrl+C.</summary>
    public void Interrupt() => _interrupt.Cancel();

    /// <summary>Waits for RunAsync to return (it has shut the runtime down by then) and gives its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            return await Run.WaitAsync(TextCapture.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"RunAsync did not return within {TextCapture.DefaultTimeout}.\n"
                + $"--- output ---\n{Output.Text}\n--- error ---\n{Error.Text}\n--- end ---");
            throw;
        }
    }

    /// <summary>Sends a line and waits for the reply and its worker line; returns the worker's PID as printed.</summary>
    public async Task<string> EchoAsync(string line)
    {
        await Output.ExpectAsync("> ");
        Input.Send(line);
        await Output.ExpectAsync($"  {line.ToUpperInvariant()}\n");
        return (await Output.ExpectAsync(WorkerLine, description: $"the worker line for '{line}'")).Groups[1].Value;
    }

    public static readonly System.Text.RegularExpressions.Regex WorkerLine =
        new(@"(?m)^  from worker: (\{app:processes\|0x[0-9a-f]{5,}\})\n");

    public async ValueTask DisposeAsync()
    {
        Input.End();
        try
        {
            if (await Task.WhenAny(Run, Task.Delay(TimeSpan.FromSeconds(10))) != Run)
            {
                _interrupt.Cancel();
                await Task.WhenAny(Run, Task.Delay(TimeSpan.FromSeconds(15)));
            }
            await Runtime.DisposeAsync();
        }
        finally
        {
            _interrupt.Dispose();
        }
    }
}
