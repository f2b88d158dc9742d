namespace Wisp.Dashboard;

/// <summary>What one update of the page carries (JSON, camelCase): the node's tables, its supervision tree and its rates.</summary>
/// <param name="Node">The node's name; empty for a standalone node.</param>
/// <param name="At">When it was taken, on the node's clock.</param>
/// <param name="LiveProcesses">How many processes live; <paramref name="Processes"/> lists the first of them by PID.</param>
/// <param name="Processes">The processes table.</param>
/// <param name="Services">The services table, in the order they started.</param>
/// <param name="Tree">The supervision tree, from the node down.</param>
/// <param name="IntervalSeconds">The time between two updates and between two rate samples.</param>
/// <param name="Rates">The rate samples of the last minutes, oldest first.</param>
public sealed record DashboardSnapshot(
    string Node, DateTimeOffset At, int LiveProcesses, IReadOnlyList<ProcessRow> Processes, IReadOnlyList<ServiceRow> Services,
    TreeNode Tree, double IntervalSeconds, IReadOnlyList<RatePoint> Rates);

/// <summary>A row of the processes table: the columns of <c>wisp top</c>, uptime in seconds.</summary>
public sealed record ProcessRow(
    string Pid, string Entry, string Kind, string State, int Mailbox, long In, long Out, int Coroutines, long Uptime,
    IReadOnlyList<string> Names)
{
    public static ProcessRow From(ProcessInfo p) => new(p.Pid.ToString(), p.Entry, p.Kind, p.State.ToString(), p.MailboxDepth,
        p.MessagesIn, p.MessagesOut, p.Coroutines, (long)p.Uptime.TotalSeconds, p.Names);
}

/// <summary>A row of the services table.</summary>
public sealed record ServiceRow(string Id, string State, string? Process, string Supervisor, int Restarts, string? StartError);

/// <summary>
/// A node of the supervision tree: the node, a service's supervisor, its process, or a process that one links to or
/// monitors (<paramref name="Relation"/>: "link", "monitor").
/// </summary>
public sealed record TreeNode(string Kind, string Label, string? Pid, string? Relation, IReadOnlyList<TreeNode> Children);

/// <summary>One process in full, for the page's detail pane: its row, and the processes related to it.</summary>
public sealed record ProcessDetailView(ProcessRow Process, IReadOnlyList<RelatedProcess> Links, IReadOnlyList<RelatedProcess> Monitoring,
    IReadOnlyList<RelatedProcess> MonitoredBy);

/// <summary>A process named in a detail, with its entry when it lives on this node.</summary>
public sealed record RelatedProcess(string Pid, string? Entry);
