using Spectre.Console;
using Spectre.Console.Rendering;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli;

/// <summary>
/// One frame of <c>wisp top</c>: the node's header, its processes (ordered, cut to the rows that fit) and its
/// services.
/// </summary>
internal static class TopView
{
    /// <summary>
    /// The frame of <paramref name="snapshot"/>; <paramref name="height"/>, when given, is the height of the terminal top
    /// runs in: the processes table shows as many rows as leave the rest of the frame on screen, and the footer the keys.
    /// </summary>
    public static IRenderable Render(NodeSnapshot snapshot, TopOrder order, int? height = null)
    {
        var t = snapshot.Totals;
        var header = new Markup(
            $"[bold]node[/] {Markup.Escape(snapshot.Node.Length > 0 ? snapshot.Node : "(standalone)")}   [bold]up[/] {Duration(snapshot.UptimeSeconds)}   " +
            $"[bold]processes[/] {t.Processes}   [bold]services[/] {snapshot.Services.Count}   [bold]mailbox[/] {t.Mailbox}   " +
            $"[bold]in[/] {t.In}   [bold]out[/] {t.Out}   [bold]discarded[/] {t.Discarded}");

        // Around the processes' rows: the header line, the two tables' headers and rules, the services' rows, the footer.
        int fixedLines = 1 + 4 + 4 + snapshot.Services.Count + 1 + 2;
        int shown = height is { } h ? Math.Clamp(h - fixedLines, 1, snapshot.Processes.Count) : snapshot.Processes.Count;
        var processes = new Table().Border(TableBorder.Simple)
            .AddColumns(Left("PID"), Left("ENTRY"), Left("STATE"), Right("MBOX"), Right("IN"), Right("OUT"), Right("CORO"), Right("UPTIME"), Left("NAMES"));
        foreach (var p in TopOrders.Sort(snapshot.Processes, order).Take(shown))
            processes.AddRow(Markup.Escape(p.Pid), Markup.Escape(p.Entry), p.State, p.Mailbox.ToString(), p.In.ToString(),
                p.Out.ToString(), p.Coroutines.ToString(), Duration(p.UptimeSeconds), Markup.Escape(string.Join(", ", p.Names)));
        if (shown < snapshot.Processes.Count) processes.Caption($"{snapshot.Processes.Count - shown} more not shown");

        var services = new Table().Border(TableBorder.Simple)
            .AddColumns(Left("SERVICE"), Left("STATUS"), Right("RESTARTS"), Left("PID"), Left("ERROR"));
        foreach (var s in snapshot.Services)
            services.AddRow(Markup.Escape(s.Id), Status(s.State), s.Restarts.ToString(), Markup.Escape(s.Pid ?? "-"), Markup.Escape(s.StartError ?? ""));

        string keys = height is null ? "" : "; keys: m mailbox, i in, o out, u uptime, p pid, q quit";
        var footer = new Markup($"[grey]sorted by {order.ToString().ToLowerInvariant()}{keys}[/]");
        return new Rows(header, processes, services, footer);
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
