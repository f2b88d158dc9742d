using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wisp.Dashboard;

/// <summary>
/// The dashboard's HTTP API: reads with GET (a snapshot, a stream of them as server-sent events, one process's
/// detail), actions that change a process with POST and the token. PIDs travel URL-encoded in the path.
/// </summary>
internal static class DashboardApi
{
    public static void Map(WebApplication app, NodeView view, Node node, ActionToken token, TimeSpan interval)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.MapGet("/api/snapshot", () => view.Snapshot());
        app.MapGet("/api/events", (CancellationToken aborted) =>
            TypedResults.ServerSentEvents(Updates(view, node.Time, interval, stopping, aborted), "snapshot"));
        app.MapGet("/api/processes/{pid}", (string pid) =>
            !Pid.TryParse(pid, out var parsed) ? BadPid(pid)
            : view.Detail(parsed) is { } detail ? Results.Ok(detail)
            : NotHere(pid));
        app.MapPost("/api/processes/{pid}/cancel", (string pid, HttpContext context) =>
            Act(context, token, node, pid, p => node.TryCancel(p, "cancelled from the dashboard")));
        app.MapPost("/api/processes/{pid}/terminate", (string pid, HttpContext context) =>
            Act(context, token, node, pid, node.TryTerminate));
    }

    /// <summary>A snapshot now, then one per interval until the client leaves or the node stops.</summary>
    private static async IAsyncEnumerable<DashboardSnapshot> Updates(NodeView view, TimeProvider time, TimeSpan interval,
        CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        using var timer = new PeriodicTimer(interval, time);
        yield return view.Snapshot();
        while (await Tick(timer, either.Token)) yield return view.Snapshot();
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Signals a live process of this node, once the token is checked: 204, or why not.</summary>
    private static IResult Act(HttpContext context, ActionToken token, Node node, string pid, Func<Pid, bool> signal)
    {
        if (token.Refusal(context) is { } refusal) return refusal;
        if (!Pid.TryParse(pid, out var parsed)) return BadPid(pid);
        return node.TryInspectProcess(parsed, out _) && signal(parsed) ? Results.NoContent() : NotHere(pid);
    }

    private static IResult BadPid(string pid) => Results.Problem($"not a PID: '{pid}'", statusCode: 400);
    private static IResult NotHere(string pid) => Results.Problem($"no live process {pid} on this node", statusCode: 404);
}
