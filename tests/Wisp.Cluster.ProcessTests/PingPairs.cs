using System.Collections.Concurrent;

namespace Wisp.Cluster.ProcessTests;

/// <summary>
/// One node's side of the soak's pairs. Each node serves pongers, named cluster-wide (EVENTUAL) so the previous node's
/// pingers find them, and runs pingers that find the next node's ponger of the same index, monitor and link it (links
/// trapped), then ping it until stopped. A ponger never exits while its node lives, so every event a pinger hears is
/// a loss of that node.
/// </summary>
internal sealed class PingPairs
{
    public const string HostId = "app:processes";

    private readonly Node _node;
    private readonly long[] _rounds;
    private readonly List<Task> _ended = [];
    private readonly TaskCompletionSource _linked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _linkedCount;
    private volatile bool _stopping;

    public PingPairs(Node node, int count)
    {
        _node = node;
        _rounds = new long[count];
    }

    /// <summary>What the pingers heard, one line each.</summary>
    public ConcurrentQueue<string> Losses { get; } = new();

    /// <summary>Round trips of all pairs (read once the pingers have stopped).</summary>
    public long RoundTrips => _rounds.Sum();

    public long FewestRoundTrips => _rounds.Min();

    /// <summary>Completes once every pinger monitors and links its ponger.</summary>
    public Task Linked => _linked.Task;

    private static string PongerName(string node, int index) => $"soak-pong-{node}-{index}";

    public void StartPongers()
    {
        for (int i = 0; i < _rounds.Length; i++)
        {
            _node.Spawn(HostId, static async c =>
            {
                c.Registry.Register((string)c.Args[0]!, RegistryScope.Eventual);
                while (true)
                {
                    var (m, _) = await c.Inbox.Receive();
                    c.Send(m.From, "pong", m.Payload<object>());
                }
            }, PongerName(_node.Name, i));
        }
    }

    public void StartPingers(string next)
    {
        for (int i = 0; i < _rounds.Length; i++)
        {
            int pair = i;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ended.Add(done.Task);
            _node.Spawn(HostId, async c =>
            {
                Pid? ponger;
                while ((ponger = c.Registry.Lookup(PongerName(next, pair))) is null) await c.Sleep(TimeSpan.FromMilliseconds(50));
                c.Monitor(ponger.Value);
                c.Link(ponger.Value);
                c.TrapLinks = true;
                if (Interlocked.Increment(ref _linkedCount) == _rounds.Length) _linked.SetResult();
                while (!_stopping)
                {
                    c.Send(ponger.Value, "ping", new byte[256]);
                    var r = await c.Select(c.Inbox.CaseReceive(), c.Events.CaseReceive());
                    if (r.Index == 1)
                    {
                        var e = r.ValueAs<ProcessEvent>();
                        Losses.Enqueue($"{c.Pid} heard {e.Kind} from {e.From}: {e.Result?.Error?.Message}");
                        break;
                    }
                    Interlocked.Increment(ref _rounds[pair]);
                }
                done.SetResult();
                return null;
            });
        }
    }

    /// <summary>Stops the pingers after their current round trip; returns how many have not ended within <paramref name="deadline"/>.</summary>
    public async Task<int> Stop(TimeSpan deadline)
    {
        _stopping = true;
        try
        {
            await Task.WhenAll(_ended).WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            // reported as stuck pairs
        }
        return _ended.Count(t => !t.IsCompleted);
    }
}
