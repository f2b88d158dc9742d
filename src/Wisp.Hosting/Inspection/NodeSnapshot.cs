namespace Wisp.Hosting.Inspection;

/// <summary>
/// A node as the inspection endpoint answers it (<c>wisp top</c>): its name and uptime, totals over its live processes,
/// each live process and each started service. Plain values (PIDs as text, times in seconds), so that it reads the
/// same in any client of the protocol.
/// </summary>
/// <param name="Node">The node's name; empty for a standalone node.</param>
/// <param name="UptimeSeconds">Seconds since the node was made, on its clock (<see cref="Wisp.Node.Uptime"/>).</param>
/// <param name="Totals">Sums over <paramref name="Processes"/>.</param>
/// <param name="Processes">The live processes, ordered by PID.</param>
/// <param name="Services">The started services, in the order they started.</param>
public sealed record NodeSnapshot(
    string Node, long UptimeSeconds, NodeTotals Totals, IReadOnlyList<ProcessRow> Processes, IReadOnlyList<ServiceRow> Services)
{
    /// <summary>Reads the runtime's processes and services as they stand (see <see cref="Node.InspectProcesses"/>).</summary>
    public static NodeSnapshot Take(WispRuntime runtime)
    {
        var processes = runtime.Node.InspectProcesses().Select(ProcessRow.From).ToList();
        var services = runtime.InspectServices().Select(ServiceRow.From).ToList();
        var totals = new NodeTotals(processes.Count, processes.Sum(p => (long)p.Mailbox), processes.Sum(p => p.In),
            processes.Sum(p => p.Out), runtime.Node.DiscardedMessages);
        return new NodeSnapshot(runtime.Node.Name, (long)runtime.Node.Uptime.TotalSeconds, totals, processes, services);
    }
}

/// <summary>Sums over a node's live processes.</summary>
/// <param name="Processes">How many are live.</param>
/// <param name="Mailbox">Items waiting in their mailboxes.</param>
/// <param name="In">Messages routed to them.</param>
/// <param name="Out">Messages they sent.</param>
/// <param name="Discarded">Messages the node's processes never read because they exited (<see cref="Node.DiscardedMessages"/>).</param>
public sealed record NodeTotals(int Processes, long Mailbox, long In, long Out, long Discarded);

/// <summary>One live process (<see cref="ProcessInfo"/> in plain values).</summary>
public sealed record ProcessRow(
    string Pid, string Entry, string Kind, string State, int Mailbox, long In, long Out, int Coroutines, long UptimeSeconds,
    IReadOnlyList<string> Names)
{
    public static ProcessRow From(ProcessInfo p) => new(p.Pid.ToString(), p.Entry, p.Kind, p.State.ToString(), p.MailboxDepth,
        p.MessagesIn, p.MessagesOut, p.Coroutines, (long)p.Uptime.TotalSeconds, p.Names);
}

/// <summary>One started service (<see cref="ServiceInfo"/> in plain values); <paramref name="Pid"/> is null while no process runs.</summary>
public sealed record ServiceRow(string Id, string State, string? Pid, int Restarts, string? StartError)
{
    public static ServiceRow From(ServiceInfo s) =>
        new(s.Id.ToString(), s.State.ToString(), s.Process?.ToString(), s.Restarts, s.StartError);
}
