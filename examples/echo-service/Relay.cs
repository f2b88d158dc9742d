using Microsoft.Extensions.Logging;
using Wisp;

namespace EchoService;

/// <summary>
/// The relay (the seed's relay.lua): registers as "relay", spawns one monitored worker per echo request,
/// logs each worker's EXIT, and reports stats every 5 s from a coroutine that shares its counters.
/// Unlike the seed, it ends on CANCEL (as the seed's runnable example does), so shutdown is immediate
/// rather than waiting out the service's 10 s stop timeout.
/// </summary>
public static class Relay
{
    private sealed class Stats
    {
        public int Messages;
        public int WorkersSpawned;
    }

    public static async Task<object?> Main(ProcessContext p)
    {
        var inbox = p.Inbox;
        var events = p.Events;

        await p.Registry.RegisterAsync("relay");   // in the node's default scope: a CONSISTENT one waits for the cluster
        p.Logger.LogInformation("relay started {pid}", p.Pid);

        var stats = new Stats();
        p.Go(() => ReportStats(p, stats));

        while (true)
        {
            var r = await p.Select(inbox.CaseReceive(), events.CaseReceive());
            if (r.Channel == events)
            {
                var e = r.ValueAs<ProcessEvent>();
                if (e.Kind == EventKind.Exit)
                    p.Logger.LogInformation("worker exited {from} {result}", e.From, e.Result);
                else if (e.Kind == EventKind.Cancel)
                {
                    p.Logger.LogInformation("relay stopping {reason}", e.Reason);
                    return 0;
                }
            }
            else if (r.ValueAs<Message>() is { Topic: "echo" } msg)
            {
                var echo = msg.Payload<EchoRequest>();
                stats.Messages++;
                try
                {
                    p.SpawnMonitored("app:worker", "app:processes", echo.Sender, echo.Data);
                    stats.WorkersSpawned++;
                }
                catch (WispException e)
                {
                    p.Logger.LogError("spawn failed {error}", e.Message);
                }
            }
        }
    }

    private static async Task ReportStats(ProcessContext p, Stats stats)
    {
        while (true)
        {
            await p.Sleep(TimeSpan.FromSeconds(5));
            p.Logger.LogInformation("stats {messages} {workers_spawned}", stats.Messages, stats.WorkersSpawned);
        }
    }
}
