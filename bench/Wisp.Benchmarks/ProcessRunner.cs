namespace Wisp.Benchmarks;

/// <summary>
/// A long-lived Wisp process that runs benchmark operations on its own loop, where channel, select and send
/// operations must run. The benchmark thread posts "run" and blocks until the process signals completion, so
/// one invocation = one cross-thread handoff + N operations; with OperationsPerInvoke = N the handoff is
/// amortised out of the per-operation figures (time and allocation alike: the "run" message and the inbox
/// wait allocate a few hundred bytes per invocation, i.e. well under 0.1 B per operation at N = 10,000).
/// </summary>
public sealed class ProcessRunner : IDisposable
{
    public const string HostId = "bench:processes";

    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private Func<ProcessContext, ValueTask>? _operation;
    private Exception? _error;

    public ProcessRunner(ProcessCatalog? catalog = null)
    {
        Node = new Node(new NodeOptions { Catalog = catalog ?? new ProcessCatalog() });
        Node.AddHost(HostId);
        Pid = Node.Spawn(HostId, Loop);
    }

    public Node Node { get; }
    public Pid Pid { get; }

    /// <summary>Runs <paramref name="operation"/> on the process's loop and waits for it. Pass a cached delegate.</summary>
    public void Run(Func<ProcessContext, ValueTask> operation)
    {
        _operation = operation;
        _error = null;
        _done.Reset();
        Node.Send(Pid, "run", null);
        _done.Wait();
        if (_error is { } error) throw new InvalidOperationException("benchmark operation failed", error);
    }

    private async Task<object?> Loop(ProcessContext p)
    {
        var inbox = p.Inbox;
        while (true)
        {
            var (message, ok) = await inbox.Receive();
            if (!ok || message.Topic == "stop") return null;
            try
            {
                await _operation!(p);
            }
            catch (Exception e)
            {
                _error = e;
            }
            _done.Set();
        }
    }

    public void Dispose()
    {
        try
        {
            Node.Send(Pid, "stop", null);
        }
        catch (WispException) { }
    }
}
