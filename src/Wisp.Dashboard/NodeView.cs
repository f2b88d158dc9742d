using Wisp.Hosting;

namespace Wisp.Dashboard;

/// <summary>Reads a runtime into what the page shows: one walk of the process table per snapshot, the tree built from it.</summary>
internal sealed class NodeView(WispRuntime runtime, RateSampler rates, DashboardOptions options)
{
    /// <summary>How many related processes a tree node lists before it says how many more there are.</summary>
    private const int TreeFanOut = 50;

    private Node Node => runtime.Node;

    public DashboardSnapshot Snapshot()
    {
        var processes = Node.InspectProcesses();
        var byPid = processes.ToDictionary(p => p.Pid);
        var services = runtime.InspectServices();
        return new DashboardSnapshot(
            Node.Name, Node.Time.GetUtcNow(), processes.Count,
            [.. processes.Take(options.MaxProcesses).Select(ProcessRow.From)],
            [.. services.Select(s => new ServiceRow(s.Id.ToString(), s.State.ToString(), s.Process?.ToString(), s.Supervisor.ToString(), s.Restarts, s.StartError))],
            Tree(services, byPid), options.Interval.TotalSeconds, rates.Points);
    }

    public ProcessDetailView? Detail(Pid pid)
    {
        if (!Node.TryInspectProcess(pid, out var detail)) return null;
        return new ProcessDetailView(ProcessRow.From(detail.Info), Related(detail.Links), Related(detail.Monitoring), Related(detail.MonitoredBy));

        IReadOnlyList<RelatedProcess> Related(IReadOnlyList<Pid> pids) =>
            [.. pids.Select(p => new RelatedProcess(p.ToString(), Node.TryInspectProcess(p, out var d) ? d.Info.Entry : null))];
    }

    /// <summary>node → each service's supervisor → its process → the processes that one links to and monitors.</summary>
    private TreeNode Tree(IReadOnlyList<ServiceInfo> services, Dictionary<Pid, ProcessInfo> byPid)
    {
        var supervisors = services.Select(s => new TreeNode("supervisor", $"{s.Id} · {s.State} · {s.Restarts} restarts",
            s.Supervisor.ToString(), null, s.Process is { } child ? [ServiceProcess(child, byPid)] : []));
        return new TreeNode("node", Node.Name.Length > 0 ? $"node {Node.Name}" : "node (standalone)", null, null, [.. supervisors]);
    }

    private TreeNode ServiceProcess(Pid pid, Dictionary<Pid, ProcessInfo> byPid)
    {
        if (!Node.TryInspectProcess(pid, out var detail)) return new TreeNode("process", $"{pid} (exited)", pid.ToString(), null, []);
        var related = detail.Links.Select(p => (Pid: p, Relation: "link"))
            .Concat(detail.Monitoring.Select(p => (Pid: p, Relation: "monitor"))).ToList();
        var children = related.Take(TreeFanOut)
            .Select(r => new TreeNode("process", Label(r.Pid, byPid), r.Pid.ToString(), r.Relation, [])).ToList();
        if (related.Count > TreeFanOut)
            children.Add(new TreeNode("more", $"{related.Count - TreeFanOut} more", null, null, []));
        return new TreeNode("process", Label(pid, byPid), pid.ToString(), null, children);
    }

    private static string Label(Pid pid, Dictionary<Pid, ProcessInfo> byPid) =>
        byPid.TryGetValue(pid, out var info) ? $"{pid} {info.Entry}" : pid.ToString();
}
