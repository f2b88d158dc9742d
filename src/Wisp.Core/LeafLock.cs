namespace Wisp;

/// <summary>
/// A 4-byte spin lock for state held for a few instructions and never around a call (a mailbox's items, a worker's
/// stack): a waiter spins instead of sleeping, as a Monitor's native enter/exit costs more than the work it guards. A
/// mutable struct: keep it in a field and call it in place, never copied.
/// </summary>
internal struct LeafLock
{
    private int _held;   // 1 while a thread holds the lock

    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) == 0) return;
        var spin = new SpinWait();
        do spin.SpinOnce(sleep1Threshold: -1);
        while (Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    public void Exit() => Volatile.Write(ref _held, 0);
}
