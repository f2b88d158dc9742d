using System.Collections.Concurrent;
using EchoService;

namespace Wisp.EchoService.Tests;

/// <summary>
/// A worker that does not answer until the test lets it (its line's <see cref="Gate.Release"/>), so the CLI's 2 s reply
/// timeout passes first, without the test depending on how long anything takes. Then it answers as
/// <see cref="Worker"/> does.
/// </summary>
public static class SlowWorker
{
    /// <summary>The gate of the workers that echo <paramref name="data"/>: each test uses a line of its own.</summary>
    public static Gate For(string data) => Gates.GetOrAdd(data, _ => new Gate());

    private static readonly ConcurrentDictionary<string, Gate> Gates = new();

    public static async Task<object?> Run(ProcessContext p, Pid sender, string data)
    {
        var gate = For(data);
        gate.Started.Add(p.Pid);
        await gate.Release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            p.Send(sender, "echo_response", new EchoResponse(data.ToUpperInvariant(), p.Pid));
        }
        catch (WispException)
        {
            // the CLI has gone
        }
        return 0;
    }

    public sealed class Gate
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public BlockingCollection<Pid> Started { get; } = new();
    }
}
