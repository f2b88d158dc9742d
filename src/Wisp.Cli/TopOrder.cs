using Wisp.Hosting.Inspection;

namespace Wisp.Cli;

/// <summary>How <c>wisp top</c> orders processes: the largest first, ties by PID (roughly spawn order: ids come in blocks per core).</summary>
internal enum TopOrder
{
    Mailbox,
    In,
    Out,
    Uptime,
    Pid,
}

/// <summary>The orders' keys while running (m, i, o, u, p) and the ordering itself.</summary>
internal static class TopOrders
{
    /// <summary>The order a key selects, or null.</summary>
    public static TopOrder? ForKey(char key) => char.ToLowerInvariant(key) switch
    {
        'm' => TopOrder.Mailbox,
        'i' => TopOrder.In,
        'o' => TopOrder.Out,
        'u' => TopOrder.Uptime,
        'p' => TopOrder.Pid,
        _ => null,
    };

    /// <summary>The rows in this order; <paramref name="rows"/> come node by node in PID order, as a view holds them.</summary>
    public static IEnumerable<(string Node, ProcessRow Row)> Sort(IReadOnlyList<(string Node, ProcessRow Row)> rows, TopOrder order) => order switch
    {
        TopOrder.Mailbox => rows.OrderByDescending(r => r.Row.Mailbox),
        TopOrder.In => rows.OrderByDescending(r => r.Row.In),
        TopOrder.Out => rows.OrderByDescending(r => r.Row.Out),
        TopOrder.Uptime => rows.OrderByDescending(r => r.Row.UptimeSeconds),
        _ => rows,
    };   // OrderByDescending is stable: ties keep the PID order
}
