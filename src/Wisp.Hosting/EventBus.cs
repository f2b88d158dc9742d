using System.Text.RegularExpressions;

namespace Wisp.Hosting;

/// <summary>An event on the bus: where it comes from (system), what it is (kind), what it is about (path), and data.</summary>
public sealed record BusEvent(string System, string Kind, string Path, object? Data);

/// <summary>
/// The node's event bus (the reference's <c>events</c>): a best-effort publish/subscribe channel for observing what
/// happens, not a transport. A subscription names a system pattern and optionally a kind pattern (<c>*</c> matches
/// any run of characters: <c>orders.*</c>); <see cref="Send"/> hands the event to every matching subscription's
/// delivery, which must not block (a subscriber that cannot keep up drops, and its delivery says so).
/// Every host offers it to its processes as a feature (<c>p.Feature&lt;EventBus&gt;()</c>).
///
/// Invariant: the subscriptions array is replaced, never changed, under the lock, so a send reads it without one;
/// a subscription disposed during a send may still get that one event.
/// </summary>
public sealed class EventBus
{
    private readonly Lock _lock = new();
    private Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="deliver"/> (called on the sender's thread) to matching events.</summary>
    public IDisposable Subscribe(string systemPattern, string? kindPattern, Action<BusEvent> deliver)
    {
        if (string.IsNullOrEmpty(systemPattern)) throw new WispException(ErrorKind.Invalid, "system pattern is required");
        var subscription = new Subscription(this, Glob.Compile(systemPattern), kindPattern is { Length: > 0 } ? Glob.Compile(kindPattern) : null, deliver);
        lock (_lock) _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    /// <summary>Publishes an event; true once it is handed to the subscriptions (none may be listening).</summary>
    public void Send(BusEvent e)
    {
        if (string.IsNullOrEmpty(e.System)) throw new WispException(ErrorKind.Invalid, "system is required");
        if (string.IsNullOrEmpty(e.Kind)) throw new WispException(ErrorKind.Invalid, "kind is required");
        if (string.IsNullOrEmpty(e.Path)) throw new WispException(ErrorKind.Invalid, "path is required");
        foreach (var subscription in Volatile.Read(ref _subscriptions))
            if (subscription.Matches(e)) subscription.Deliver(e);
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock) _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
    }

    private sealed class Subscription(EventBus bus, Regex system, Regex? kind, Action<BusEvent> deliver) : IDisposable
    {
        public bool Matches(BusEvent e) => system.IsMatch(e.System) && (kind is null || kind.IsMatch(e.Kind));
        public void Deliver(BusEvent e) => deliver(e);
        public void Dispose() => bus.Remove(this);
    }
}
