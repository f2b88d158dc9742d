using System.Diagnostics;

namespace Wisp;

/// <summary>
/// The cross-thread half of a process's mailbox, and its run state: any thread appends, only the owning
/// process's loop takes, and it takes everything at once (one lock per batch, not per item) by swapping two
/// buffers. The scheduled flag lives here, under the same lock as the items, so that "append, and queue the
/// process if it was idle" and "park the process if nothing came" are each one step: no wake-up can fall
/// between a check and a write, and a post costs one atomic operation (a fenced flag beside the lock cost two
/// or three).
///
/// Invariants:
/// - items leave in the order they entered (FIFO), so messages from one sender keep their order;
/// - <see cref="_scheduled"/> is true from the post (or first slice) that queues the process until a slice
///   ends with nothing appended (<see cref="TryPark"/>), and for good once the process has exited; exactly one
///   caller sees it go false→true, and that caller queues the process, so it is never queued twice nor left
///   idle with items waiting;
/// - the taken batch belongs to the loop until its next <see cref="TakeAll"/>: senders only touch the other
///   buffer;
/// - once <see cref="Close"/> has run (the process exited) nothing is appended: a post is refused, so its sender
///   hears that the process is gone, and every item is either taken, counted by Close, or refused;
/// - a spin lock (<see cref="_lock"/>) guards the incoming buffer, the count and the flag; it is held for a few
///   instructions and never around user code, so a waiter spins instead of sleeping (a Monitor's native
///   enter/exit is costly on this path) and it costs 4 bytes, not a lock object.
/// Items are messages, events and loop actions; routing them to channels is the loop's job (Process.cs). The buffers
/// hold them in <see cref="MailboxItem"/>s, so that a store into a buffer is a plain reference store, not the
/// covariance check an <c>object[]</c> store costs.
/// A struct held in its process (a field, never copied), so a process carries no separate mailbox object.
/// </summary>
internal struct Mailbox
{
    private MailboxItem[] _incoming;
    private MailboxItem[] _taken;
    private int _count;
    private bool _scheduled;   // the process is queued or running (Process.cs)
    private bool _closed;      // the process has exited
    private LeafLock _lock;    // held while a thread changes the mailbox

    public Mailbox()
    {
        _incoming = [];
        _taken = [];
    }

    /// <summary>Items appended and not yet taken (read from any thread: an estimate).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The process is queued or running (read from any thread without the lock: an estimate).</summary>
    public readonly bool IsScheduled => _scheduled;

    /// <summary>
    /// Appends an item: <see cref="Enqueued.Woke"/> if the process was idle, in which case the caller now owns its
    /// scheduled flag and must queue it; <see cref="Enqueued.Closed"/> (nothing appended) once the process has
    /// exited. The item and the flag change under one lock, so no wake-up can fall between them.
    /// </summary>
    public Enqueued Enqueue(object item)
    {
        _lock.Enter();
        bool wake;
        try
        {
            if (_closed) return Enqueued.Closed;
            int count = _count;
            if (count == _incoming.Length) Array.Resize(ref _incoming, Math.Max(1, count * 2));   // most processes get one item at a time
            _incoming[count].Value = item;
            Volatile.Write(ref _count, count + 1);
            wake = !_scheduled;
            _scheduled = true;
            AssertInvariants();
        }
        finally
        {
            _lock.Exit();
        }
        return wake ? Enqueued.Woke : Enqueued.Queued;
    }

    /// <summary>Takes the scheduled flag without an item (a process's first slice); true if it was free.</summary>
    public bool Claim()
    {
        _lock.Enter();
        bool wake = !_scheduled;
        _scheduled = true;
        _lock.Exit();
        return wake;
    }

    /// <summary>
    /// At the end of a slice: frees the scheduled flag if nothing is waiting (true: the process is idle and the
    /// next post queues it), or keeps it (false: items came during the slice, the loop must run again).
    /// </summary>
    public bool TryPark()
    {
        _lock.Enter();
        bool idle = _count == 0;
        if (idle) _scheduled = false;
        AssertInvariants();
        _lock.Exit();
        return idle;
    }

    /// <summary>
    /// Takes every item appended so far, oldest first. The loop reads them, clearing each slot as it goes, before
    /// it calls this again.
    /// </summary>
    public Span<MailboxItem> TakeAll()
    {
        if (Volatile.Read(ref _count) == 0) return [];
        _lock.Enter();
        int count = _count;
        (_incoming, _taken) = (_taken, _incoming);
        Volatile.Write(ref _count, 0);
        AssertInvariants();
        _lock.Exit();
        return _taken.AsSpan(0, count);
    }

    /// <summary>
    /// Forgets every item and refuses any further one: the process has exited and nothing more will be read.
    /// Returns how many of the forgotten items were messages.
    /// </summary>
    public int Close()
    {
        _lock.Enter();
        int messages = 0;
        for (int i = 0; i < _count; i++)
            if (_incoming[i].Value is Message) messages++;
        _closed = true;
        _incoming = [];
        _taken = [];
        Volatile.Write(ref _count, 0);
        _lock.Exit();
        return messages;
    }

    [Conditional("DEBUG")]
    private readonly void AssertInvariants()
    {
        Debug.Assert(_count >= 0 && _count <= _incoming.Length, "count within the incoming buffer");
        for (int i = 0; i < _count; i++) Debug.Assert(_incoming[i].Value is not null, "no hole among the held items");
        Debug.Assert(_count == 0 || _scheduled, "items never wait in the mailbox of an idle process");
    }
}

/// <summary>A slot of a mailbox buffer: a struct, so that storing into an array of them needs no type check.</summary>
internal struct MailboxItem
{
    public object? Value;
}

/// <summary>What <see cref="Mailbox.Enqueue"/> did with an item.</summary>
internal enum Enqueued : byte
{
    /// <summary>Appended; the process was scheduled already.</summary>
    Queued,
    /// <summary>Appended to an idle process: the caller must queue it.</summary>
    Woke,
    /// <summary>Refused: the process has exited.</summary>
    Closed,
}
