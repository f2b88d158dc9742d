using Wisp;

namespace EchoService;

/// <summary>A worker (the seed's worker.lua): gets the sender and the text as arguments, replies in upper case.</summary>
public static class Worker
{
    public static async Task<object?> Main(ProcessContext p, Pid sender, string data)
    {
        await p.Sleep(TimeSpan.FromMilliseconds(100));
        try
        {
            p.Send(sender, "echo_response", new EchoResponse(data.ToUpperInvariant(), p.Pid));
        }
        catch (WispException)
        {
            // As in the seed, a reply to a CLI that has gone away is not the worker's failure.
        }
        return 0;
    }
}
