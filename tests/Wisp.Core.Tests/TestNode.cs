namespace Wisp.Tests;

/// <summary>A node with one host (<c>app:processes</c>) and helpers to wait for events with generous deadlines.</summary>
internal sealed class TestNode
{
    public const string HostId = "app:processes";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30) * StressScale.Factor;

    public TestNode(ProcessCatalog? catalog = null, HostOptions? host = null, TimeProvider? time = null, string name = "", uint creation = 0,
        Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        Catalog = catalog ?? new ProcessCatalog();
        Node = new Node(new NodeOptions
        {
            Catalog = Catalog, Time = time ?? TimeProvider.System, Name = name, Creation = creation,
            LoggerFactory = logs ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
        Host = Node.AddHost(HostId, host);
    }

    public Node Node { get; }
    public Host Host { get; }
    public ProcessCatalog Catalog { get; }

    public Pid Spawn(ProcessBody body, params object?[] args) => Node.Spawn(HostId, body, args);

    /// <summary>
    /// Starts <paramref name="body"/> as a process and returns its PID and a task for its exit result.
    /// The body is spawned, monitored, by a small watcher process, so a body that exits at once is still seen
    /// (calling <see cref="Node.WhenExited"/> after <see cref="Node.Spawn(string, ProcessBody, object?[])"/> races with it).
    /// </summary>
    public Task<(Pid Pid, Task<ExitResult> Exit)> Start(ProcessBody body, params object?[] args) => StartOn(HostId, body, args);

    /// <summary>As <see cref="Start"/>, with the body on <paramref name="host"/> (the watcher stays on <see cref="HostId"/>).</summary>
    public async Task<(Pid Pid, Task<ExitResult> Exit)> StartOn(string host, ProcessBody body, params object?[] args)
    {
        var started = new TaskCompletionSource<Pid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<ExitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Node.Spawn(HostId, async w =>
        {
            try
            {
                var child = w.Spawn(body, SpawnOptions.Monitored, host, args);
                started.SetResult(child);
                while (true)
                {
                    var (ev, ok) = await w.Events.Receive();
                    if (ok && ev.Kind == EventKind.Exit && ev.From == child)
                    {
                        exited.SetResult(ev.Result!);
                        return null;
                    }
                }
            }
            catch (Exception e)
            {
                started.TrySetException(e);
                exited.TrySetException(e);
                throw;
            }
        });
        var pid = await started.Task.WaitAsync(Deadline);
        return (pid, exited.Task.WaitAsync(Deadline));
    }

    /// <summary>Runs <paramref name="body"/> as a process and returns its exit result.</summary>
    public async Task<ExitResult> Run(ProcessBody body, params object?[] args)
    {
        var (_, exit) = await Start(body, args);
        return await exit;
    }

    /// <summary>Runs <paramref name="body"/> and returns its value, failing the test on an error exit.</summary>
    public async Task<object?> Value(ProcessBody body, params object?[] args)
    {
        var result = await Run(body, args);
        Assert.True(result.Error is null, $"process failed: {result.Error?.Exception ?? (object?)result.Error}");
        return result.Value;
    }
}

/// <summary>A one-way queue from process code to the test: the process puts, the test takes (with the deadline).</summary>
internal sealed class Probe<T>
{
    private readonly System.Threading.Channels.Channel<T> _queue = System.Threading.Channels.Channel.CreateUnbounded<T>();

    public void Put(T value) => _queue.Writer.TryWrite(value);

    public async Task<T> Take() => await _queue.Reader.ReadAsync().AsTask().WaitAsync(TestNode.Deadline);

    public bool TryTake(out T value) => _queue.Reader.TryRead(out value!);
}

/// <summary>Small helpers for process code in tests.</summary>
internal static class Wait
{
    /// <summary>Next message from a mailbox-fed channel; fails the process if the channel is closed.</summary>
    public static async Task<Message> Next(this ReceiveChannel<Message> channel)
    {
        var (message, ok) = await channel.Receive();
        Assert.True(ok, "channel closed");
        return message;
    }

    public static async Task<ProcessEvent> Next(this ReceiveChannel<ProcessEvent> channel)
    {
        var (ev, ok) = await channel.Receive();
        Assert.True(ok, "events channel closed");
        return ev;
    }

    /// <summary>
    /// Proves that no event is pending: sends this process a CANCEL marker and checks that it is the next event.
    /// Anything posted to the events before the marker (a stray EXIT or LINK_DOWN) fails the check.
    /// </summary>
    public static async Task NoEventBeforeMarker(this ProcessContext p, string marker = "marker")
    {
        p.Cancel(p.Pid, marker);
        var ev = await p.Events.Next();
        Assert.True(ev.Kind == EventKind.Cancel && ev.Reason == marker, $"expected the marker, got {ev}");
    }

    /// <summary>Same for the inbox: sends itself a marker message and checks that it is the next message.</summary>
    public static async Task NoMessageBeforeMarker(this ProcessContext p, string marker = "marker")
    {
        p.Send(p.Pid, marker);
        var m = await p.Inbox.Next();
        Assert.True(m.Topic == marker, $"expected the marker, got {m} from {m.From}");
    }
}
