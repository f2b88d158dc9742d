using EchoService;

namespace Wisp.Dashboard.Tests;

/// <summary>
/// A client of the echo relay that keeps asking, registered as "chatter", so the dashboard has messages and spawns to
/// show and a process to act on; it ends on CANCEL.
/// </summary>
internal static class Chatter
{
    public const string Name = "chatter";

    public static async Task<object?> Run(ProcessContext p)
    {
        p.Registry.Register(Name);
        while (true)
        {
            p.Send("relay", "echo", new EchoRequest(p.Pid, "hello"));
            var reply = await p.Select(p.Inbox.CaseReceive(), p.Events.CaseReceive());
            if (reply.Channel == p.Events && reply.ValueAs<ProcessEvent>().Kind == EventKind.Cancel) return "cancelled";
            await p.Sleep(TimeSpan.FromMilliseconds(20));
        }
    }
}
