namespace Wisp;

/// <summary>
/// The process is the SynchronizationContext installed while its loop runs, so that awaiting anything that is not a
/// Wisp operation (a Task, an I/O call) resumes the coroutine on the same loop: its continuation is posted to the
/// process's mailbox. Being its own context spares every process an object of its own.
/// </summary>
internal sealed partial class Process : SynchronizationContext
{
    /// <summary>
    /// Runs <paramref name="d"/> on the loop with this process as the current context, whatever code earlier in the
    /// slice left current: a continuation posted here (main's completion among them) finds its process there.
    /// </summary>
    public override void Post(SendOrPostCallback d, object? state) =>
        PostAction(static s =>
        {
            var (process, callback, arg) = ((Process, SendOrPostCallback, object?))s!;
            SetSynchronizationContext(process);
            callback(arg);
        }, (this, d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!IsOnLoop)
            throw new NotSupportedException("a process's loop cannot be entered synchronously from another thread");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
