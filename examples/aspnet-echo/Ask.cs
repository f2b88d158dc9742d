using EchoService;
using Wisp;

namespace AspNetEcho;

/// <summary>
/// One request's process, registered in code (<c>app:ask</c>): sends the text to the relay and returns the worker's
/// reply, as the seed's CLI does for a line; an HTTP request runs it as a function and gets its return value.
/// </summary>
public static class Ask
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(2);

    public static async Task<object?> Main(ProcessContext p, string text)
    {
        try
        {
            p.Send("relay", "echo", new EchoRequest(p.Pid, text));
        }
        catch (WispException e)
        {
            return new ProcessError($"relay not available: {e.Message}", ErrorKind.Unavailable);
        }
        var timeout = p.After(ReplyTimeout);
        var r = await p.Select(p.Inbox.CaseReceive(), timeout.CaseReceive());
        if (r.Channel == timeout) return new ProcessError("timeout: no reply from the relay's worker", ErrorKind.Timeout);
        return r.ValueAs<Message>().Payload<EchoResponse>();
    }
}
