namespace Wisp;

/// <summary>Where a process's loop is when it is looked at (<see cref="ProcessInfo.State"/>).</summary>
public enum ProcessState
{
    /// <summary>Parked: nothing in its mailbox, every coroutine waiting (a receive, a select, a timer).</summary>
    Waiting,
    /// <summary>Queued on its scheduler, with work to do, not yet running.</summary>
    Runnable,
    /// <summary>Its loop is running on a worker thread now.</summary>
    Running,
}

/// <summary>
/// A live process as <see cref="Node.InspectProcesses"/> saw it: read from other threads while the process runs, so
/// each count is a moment's estimate (the loop may be a few messages ahead), never a lock on the process's work.
/// </summary>
/// <param name="Pid">The process.</param>
/// <param name="Entry">The entry (or body) it runs.</param>
/// <param name="Kind">What runs it (<see cref="ProcessDefinition.Kind"/>): "dotnet", "lua".</param>
/// <param name="State">Running, queued, or parked.</param>
/// <param name="MailboxDepth">Items waiting in its mailbox and inbox, not yet read by its code.</param>
/// <param name="MessagesIn">Messages routed to it since it started.</param>
/// <param name="MessagesOut">Messages its code sent.</param>
/// <param name="Coroutines">Coroutines started by its code and not yet finished (main not included).</param>
/// <param name="Uptime">Time since its spawn on the node's clock, to the second.</param>
/// <param name="Names">The names registered to it on this node.</param>
public sealed record ProcessInfo(
    Pid Pid, string Entry, string Kind, ProcessState State, int MailboxDepth, long MessagesIn, long MessagesOut,
    int Coroutines, TimeSpan Uptime, IReadOnlyList<string> Names);

/// <summary>
/// One process with its topology (<see cref="Node.TryInspectProcess"/>): whom it is linked to, whom it monitors, and who
/// monitors or links to it from other nodes.
/// </summary>
/// <param name="Info">What <see cref="Node.InspectProcesses"/> shows of it.</param>
/// <param name="Links">The processes it is linked to, on this node or another.</param>
/// <param name="Monitoring">The processes it monitors.</param>
/// <param name="MonitoredBy">The processes monitoring it: those of this node, then those of other nodes (which also
/// hold the far side of its links there).</param>
public sealed record ProcessDetail(
    ProcessInfo Info, IReadOnlyList<Pid> Links, IReadOnlyList<Pid> Monitoring, IReadOnlyList<Pid> MonitoredBy);
