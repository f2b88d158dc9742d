using Wisp;
using Wisp.Hosting;

namespace EchoService;

/// <summary>
/// The CLI (the seed's cli.lua), run on the terminal host: reads lines, sends each to "relay", and waits up
/// to 2 s for the worker's reply. An empty line or end of input ends it. It waits up to 5 s for the relay's
/// name to appear before starting, rather than sleeping a fixed 200 ms.
/// </summary>
public static class Cli
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RelayWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RelayPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<object?> Main(ProcessContext p)
    {
        var term = p.Feature<Terminal>()
            ?? throw new WispException(ErrorKind.InvalidState, $"{p.EntryId} must run on a terminal host");
        var inbox = p.Inbox;

        if (!await WaitForRelay(p))
        {
            term.Print("relay not ready");
            return 1;
        }

        term.Print(term.Cyan("Echo Client"));
        term.Print(term.Dim("Type messages to echo. Ctrl+C to exit.\n"));

        while (true)
        {
            term.Write(term.Yellow("> "));
            var input = await term.ReadLine();
            if (string.IsNullOrEmpty(input)) break;

            try
            {
                p.Send("relay", "echo", new EchoRequest(p.Pid, input));
            }
            catch (WispException)
            {
                term.Print(term.Dim("  error: relay not available"));
                continue;
            }

            var timeout = p.After(ReplyTimeout);
            var r = await p.Select(inbox.CaseReceive(), timeout.CaseReceive());
            if (r.Channel == timeout)
            {
                term.Print(term.Dim("  timeout"));
            }
            else if (r.ValueAs<Message>() is { Topic: "echo_response" } msg)
            {
                var resp = msg.Payload<EchoResponse>();
                term.Print(term.Green("  " + resp.Data));
                term.Print(term.Dim("  from worker: " + resp.Worker));
            }
        }

        term.Print("\nGoodbye!");
        return 0;
    }

    private static async Task<bool> WaitForRelay(ProcessContext p)
    {
        var deadline = p.After(RelayWait);
        while (p.Registry.Lookup("relay") is null)
        {
            var poll = p.After(RelayPoll);
            var r = await p.Select(poll.CaseReceive(), deadline.CaseReceive());
            if (r.Channel == deadline) return false;
        }
        return true;
    }
}
