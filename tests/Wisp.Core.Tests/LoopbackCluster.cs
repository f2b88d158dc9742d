using System.Collections.Concurrent;

namespace Wisp.Tests;

/// <summary>
/// Nodes of one test process joined by an in-memory transport that keeps the transport contract
/// (<see cref="IRemoteTransport"/>): payloads are copied through the binary encoding, as on a wire; each node takes
/// what comes to it from one queue, in order, on a thread of its own; a node can be killed (the others are told it
/// is lost), cut off from another, and started again with a new incarnation.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), bool> _cut = new();
    private uint _creations;

    /// <summary>Starts a node named <paramref name="name"/> (again, after a kill: a new incarnation).</summary>
    public TestNode Start(string name, ProcessCatalog? catalog = null)
    {
        var node = new TestNode(catalog, name: name, creation: Interlocked.Increment(ref _creations));
        var member = new Member(this, node);
        node.Node.Remote.Attach(member);
        if (!_members.TryAdd(name, member)) throw new InvalidOperationException($"{name} runs already");
        return node;
    }

    /// <summary>Kills a node: nothing more reaches it or comes from it, and every other node is told it is lost.</summary>
    public void Kill(string name, string reason = "killed")
    {
        if (!_members.TryRemove(name, out var member)) return;
        member.Stop();
        foreach (var other in _members.Values) other.Node.Node.Remote.NodeDown(name, member.Node.Node.Creation, reason);
    }

    /// <summary>Cuts the link between two nodes: each is told the other is lost (both keep running).</summary>
    public void Cut(string a, string b)
    {
        _cut[(a, b)] = _cut[(b, a)] = true;
        if (_members.TryGetValue(a, out var ma) && _members.TryGetValue(b, out var mb))
        {
            ma.Node.Node.Remote.NodeDown(b, mb.Node.Node.Creation, "connection cut");
            mb.Node.Node.Remote.NodeDown(a, ma.Node.Node.Creation, "connection cut");
        }
    }

    private Member? Reachable(string from, string to) =>
        !_cut.ContainsKey((from, to)) && _members.TryGetValue(to, out var member) ? member : null;

    public ValueTask DisposeAsync()
    {
        foreach (var member in _members.Values) member.Stop();
        _members.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>One node's transport, and its queue of what comes to it.</summary>
    private sealed class Member : IRemoteTransport
    {
        private readonly LoopbackCluster _cluster;
        private readonly System.Threading.Channels.Channel<Action> _inbound = System.Threading.Channels.Channel.CreateUnbounded<Action>(
            new() { SingleReader = true });

        public Member(LoopbackCluster cluster, TestNode node)
        {
            _cluster = cluster;
            Node = node;
            _ = Task.Run(async () =>
            {
                await foreach (var item in _inbound.Reader.ReadAllAsync()) item();
            });
        }

        public TestNode Node { get; }
        private string Name => Node.Node.Name;

        public void Stop() => _inbound.Writer.TryComplete();

        public uint? CreationOf(string node) => _cluster.Reachable(Name, node)?.Node.Node.Creation;

        public void Send(Pid target, Message message)
        {
            var copy = new Message(message.Topic, message.From, message.Payloads.Select(Copy).ToArray());
            if (_cluster.Reachable(Name, target.Node) is { } to) to._inbound.Writer.TryWrite(() => to.Node.Node.Remote.Deliver(target, copy));
        }

        public void Signal(Pid target, RemoteSignal signal)
        {
            var copy = signal.Result is { } result
                ? signal with { Result = new ExitResult(Copy(result.Value), result.Error is null ? null : (ProcessError?)Copy(result.Error)) }
                : signal;
            if (_cluster.Reachable(Name, target.Node) is { } to) to._inbound.Writer.TryWrite(() => to.Node.Node.Remote.Receive(target, copy));
        }

        private static object? Copy(object? value) => PayloadEncoding.Decode(PayloadEncoding.Encode(value));
    }
}
