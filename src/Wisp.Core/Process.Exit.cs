using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>
/// The end of a process: it runs on the loop, once; its mailbox is closed (later posts are refused) and the messages
/// it never read are counted as discarded (Node.DiscardedMessages); the coroutines are abandoned, the timers stopped, the exit
/// hooks run (a definition releases what it holds for the process: a Lua state's thread), an error end is written
/// to the log once (CrashReport), then the node tells monitors and links. Timers are tracked here because the exit stops them.
/// </summary>
internal sealed partial class Process
{
    /// <summary>Ends the process with an error (uncaught exception, terminate, failed link).</summary>
    public void Fail(ProcessError error) => Exit(ExitResult.Failure(error));

    /// <summary>Ends the process: its coroutines are abandoned, its timers stopped, its exit hooks run, then the node notifies.</summary>
    public void Exit(ExitResult result)
    {
        // Only the loop may end its process (another thread asks: Terminate posts a signal). A wrong caller
        // would race the loop over its run queue and exit twice; fail it loudly instead.
        if (!IsOnLoop) throw new InvalidOperationException($"process {Pid} can only exit on its own loop");
        if (_exited) return;
        _exited = true;
        _run.Clear();
        Node.CountDiscarded(_mailbox.Close() + UnreadMessages());
        if (_rare?.Timers is { } timers)
        {
            _rare.Timers = null;
            foreach (var timer in timers) timer.Close();
        }
        RunExitHooks(result);
        MessageTracing.End(this, result.Error);
        if (result.Error is { } error) CrashReport.Write(this, error);
        // Counted before the monitors hear: whoever sees the EXIT sees the exit counted.
        Host.Counts.For(Kind).Exited(Outcome(result.Error), _messagesOut, MessagesIn, _rare?.SelectWaits ?? 0);
        Node.Topology.OnExit(this, result);
    }

    private static ExitOutcome Outcome(ProcessError? error) => error switch
    {
        null => ExitOutcome.Normal,
        { Message: ProcessErrors.Terminated } => ExitOutcome.Terminated,
        _ when error.Message.StartsWith(ProcessErrors.LinkedFailedPrefix, StringComparison.Ordinal) => ExitOutcome.Linked,
        _ => ExitOutcome.Error,
    };

    /// <summary>
    /// Messages routed to the process and not taken by its code: in its inbox, its listen channels, held, or handed
    /// to a receive whose coroutine never resumed.
    /// </summary>
    private int UnreadMessages()
    {
        int unread = (_inbox?.UnreadCount ?? 0) + (_rare?.HeldMessages?.Count ?? 0);
        if (_rare?.Listeners is { } listeners)
            foreach (var listener in listeners.Values) unread += listener.UnreadCount;
        return unread;
    }

    /// <summary>Runs <paramref name="hook"/> on the loop when the process ends, by whatever path, before its monitors hear. Loop only.</summary>
    public void OnExit(Action<ExitResult> hook) => (RareState.ExitHooks ??= []).Add(hook);

    private void RunExitHooks(ExitResult result)
    {
        if (_rare?.ExitHooks is not { } hooks) return;
        _rare.ExitHooks = null;
        for (int i = hooks.Count - 1; i >= 0; i--)   // the last registered first, as disposals nest
        {
            try
            {
                hooks[i](result);
            }
            catch (Exception e)
            {
                Node.LoggerFactory.CreateLogger("wisp.process").LogError(e, "process {pid}: an exit hook failed", Pid);
            }
        }
    }

    public void Track(ProcessTimer timer) => (RareState.Timers ??= []).Add(timer);
    public void Untrack(ProcessTimer timer) => _rare?.Timers?.Remove(timer);
}
