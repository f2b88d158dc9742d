namespace Wisp;

/// <summary>
/// Installed while a process's loop runs, so that awaiting anything that is not a Wisp operation (a Task, an
/// I/O call) resumes the coroutine on the same loop: its continuation is posted to the process's mailbox.
/// </summary>
internal sealed class ProcessSynchronizationContext(Process process) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) =>
        process.PostAction(static s => { var (callback, arg) = ((SendOrPostCallback, object?))s!; callback(arg); }, (d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!process.IsOnLoop)
            throw new NotSupportedException("a process's loop cannot be entered synchronously from another thread");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
