using System.Collections.Concurrent;
using EchoService;

namespace Wisp.EchoService.Tests;

/// <summary>
/// A worker that does not answer until the test lets it (<see cref="Release"/>), so the CLI's 2 s reply
/// timeout passes first, without the test depending on how long anything takes. Then it answers as
/// <see cref="Worker"/> does.
/// </summary>
public static class SlowWorker
{
    public static readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly BlockingCollection<Pid> Started = new();

    public static async Task<object?> Run(ProcessContext p, Pid sender, string data)
    {
        Started.Add(p.Pid);
        await Release.Task.WaitAsync(TimeSpan.FromSeconds(30));
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
}
