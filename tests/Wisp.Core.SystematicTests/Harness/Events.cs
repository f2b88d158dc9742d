using Microsoft.Coyote.Specifications;

namespace Wisp.SystematicTests.Harness;

internal static class ProcessHelpers
{
    /// <summary>
    /// Collects this process's events until a message with <paramref name="topic"/> arrives. Select takes the
    /// mailbox-fed case whose item arrived first, so every event posted before that message is collected.
    /// </summary>
    public static async Task<List<ProcessEvent>> EventsUntil(this ProcessContext p, string topic)
    {
        var events = new List<ProcessEvent>();
        while (true)
        {
            var r = await p.Select(p.Events.CaseReceive(), p.Inbox.CaseReceive());
            Specification.Assert(r.Ok, "events or inbox closed");
            if (r.Index == 0) events.Add(r.ValueAs<ProcessEvent>());
            else if (r.ValueAs<Message>().Topic == topic) return events;
        }
    }

    /// <summary>Waits for a message with <paramref name="topic"/> on the inbox, skipping others.</summary>
    public static async Task<Message> Expect(this ProcessContext p, string topic)
    {
        while (true)
        {
            var (m, ok) = await p.Inbox.Receive();
            Specification.Assert(ok, "inbox closed");
            if (m.Topic == topic) return m;
        }
    }

    /// <summary>Sends from outside any process; false if the target has exited (which a race may allow).</summary>
    public static bool TrySend(this Node node, Pid pid, string topic, object? payload = null)
    {
        try
        {
            node.Send(pid, topic, payload);
            return true;
        }
        catch (WispException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    public static bool IsNotRegistered(this WispException e) => e.Kind == ErrorKind.NotFound && e.Message.Contains("pid not registered");
}

internal static class ExitResults
{
    /// <summary>The result with the stack of its exception, for assertion messages.</summary>
    public static string Describe(this ExitResult result) =>
        result.Error?.Exception is { } e ? $"{result} [{e}]" : result.ToString();
}

internal static class Arrivals
{
    /// <summary>
    /// The order in which events (as EXIT, LINK_DOWN, CANCEL) and inbox messages (as their topic) arrive, until
    /// a message with <paramref name="topic"/>: select takes mailbox-fed cases in arrival order.
    /// </summary>
    public static async Task<List<string>> ArrivalsUntil(this ProcessContext p, string topic)
    {
        var order = new List<string>();
        while (true)
        {
            var r = await p.Select(p.Events.CaseReceive(), p.Inbox.CaseReceive());
            Specification.Assert(r.Ok, "events or inbox closed");
            if (r.Index == 1 && r.ValueAs<Message>().Topic == topic) return order;
            order.Add(r.Index == 0
                ? r.ValueAs<ProcessEvent>().Kind switch { EventKind.Exit => "EXIT", EventKind.LinkDown => "LINK_DOWN", _ => "CANCEL" }
                : r.ValueAs<Message>().Topic);
        }
    }
}
