using Spectre.Console;
using Spectre.Console.Rendering;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli;

/// <summary>
/// One frame of <c>wisp top</c>: a header line per node, the processes of every node (ordered, cut to the rows that
/// fit; with a NODE column when the view holds a cluster) and the services.
/// </summary>
internal static class TopView
{
    /// <summary>
    /// The frame of <paramref name="view"/>; <paramref name="height"/>, when given, is the height of the terminal top
    /// runs in: the processes table shows as many rows as leave the rest of the frame on screen, and the footer the keys.
    /// </summary>
    public static IRenderable Render(ClusterView view, TopOrder order, int? height = null)
    {
        bool cluster = view.Nodes.Count > 1 || view.Missing.Count > 0;
        var lines = new List<IRenderable>();
        foreach (var node in view.Nodes)
        {
            var t = node.Totals;
            lines.Add(new Markup(
                $"[bold]node[/] {Markup.Escape(node.Node.Length > 0 ? node.Node : "(standalone)")}   [bold]up[/] {Duration(node.UptimeSeconds)}   " +
                $"[bold]processes[/] {t.Processes}   [bold]services[/] {node.Services.Count}   [bold]mailbox[/] {t.Mailbox}   " +
                $"[bold]in[/] {t.In}   [bold]out[/] {t.Out}   [bold]discarded[/] {t.Discarded}"));
        }
        foreach (var missing in view.Missing)
            lines.Add(new Markup($"[bold]node[/] {Markup.Escape(missing)}   [red]no answer[/]"));

        var rows = view.Nodes.SelectMany(n => n.Processes.Select(p => (n.Node, Row: p))).ToList();
        var services = view.Nodes.SelectMany(n => n.Services.Select(s => (n.Node, Row: s))).ToList();
        // Around the processes' rows: the header lines, the two tables' headers and rules, the services' rows, the footer.
        int fixedLines = lines.Count + 4 + 4 + services.Count + 1 + 2;
        int shown = height is { } h ? Math.Clamp(h - fixedLines, 1, Math.Max(1, rows.Count)) : rows.Count;

        var processes = new Table().Border(TableBorder.Simple);
        if (cluster) processes.AddColumn(Left("NODE"));
        processes.AddColumns(Left("PID"), Left("ENTRY"), Left("STATE"), Right("MBOX"), Right("IN"), Right("OUT"), Right("CORO"), Right("UPTIME"), Left("NAMES"));
        foreach (var (node, p) in TopOrders.Sort(rows, order).Take(shown))
        {
            string[] cells = [Markup.Escape(p.Pid), Markup.Escape(p.Entry), p.State, p.Mailbox.ToString(), p.In.ToString(),
                p.Out.ToString(), p.Coroutines.ToString(), Duration(p.UptimeSeconds), Markup.Escape(string.Join(", ", p.Names))];
            processes.AddRow(cluster ? [Markup.Escape(node), .. cells] : cells);
        }
        if (shown < rows.Count) processes.Caption($"{rows.Count - shown} more not shown");

        var servicesTable = new Table().Border(TableBorder.Simple);
        if (cluster) servicesTable.AddColumn(Left("NODE"));
        servicesTable.AddColumns(Left("SERVICE"), Left("STATUS"), Right("RESTARTS"), Left("PID"), Left("ERROR"));
        foreach (var (node, s) in services)
        {
            string[] cells = [Markup.Escape(s.Id), Status(s.State), s.Restarts.ToString(), Markup.Escape(s.Pid ?? "-"), Markup.Escape(s.StartError ?? "")];
            servicesTable.AddRow(cluster ? [Markup.Escape(node), .. cells] : cells);
        }

        string keys = height is null ? "" : "; keys: m mailbox, i in, o out, u uptime, p pid, q quit";
        var footer = new Markup($"[grey]sorted by {order.ToString().ToLowerInvariant()}{keys}[/]");
        return new Rows([.. lines, processes, servicesTable, footer]);
    }

    private static TableColumn Left(string name) => new(name);

    private static TableColumn Right(string name) => new TableColumn(name).RightAligned();

    private static string Status(string state) => state switch
    {
        "Running" => "[green]Running[/]",
        "Starting" or "Restarting" => $"[yellow]{state}[/]",
        "Failed" or "Exited" => $"[red]{state}[/]",
        _ => state,
    };

    /// <summary>A duration as top shows it: 42s, 5m03s, 2h07m, 3d04h.</summary>
    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
        < 86400 => $"{seconds / 3600}h{seconds / 60 % 60:00}m",
        _ => $"{seconds / 86400}d{seconds / 3600 % 24:00}h",
    };
}
