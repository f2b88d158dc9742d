using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Wisp;

/// <summary>
/// The waiting half of everything a coroutine awaits (a channel's sudog, a select, a sleep): completed once,
/// on its process's loop, and its continuation is then put on the loop's run queue rather than run inline, so
/// the completer's stack never runs the woken coroutine. Both the await (OnCompleted) and the completion
/// happen on the owning loop's thread, so no field needs a barrier; a completion from elsewhere (a timer) is
/// first posted to the loop.
/// </summary>
internal struct Resumption
{
    // The continuation while waiting; Done once completed (a sentinel, so that a resumption is two fields).
    private Action<object?>? _continuation;
    private object? _state;   // the continuation's state while waiting; once done, the error it failed with, if any

    private static readonly Action<object?> Done = static _ => { };

    public readonly bool IsDone => ReferenceEquals(_continuation, Done);

    public readonly ValueTaskSourceStatus Status =>
        !IsDone ? ValueTaskSourceStatus.Pending
        : _state is null ? ValueTaskSourceStatus.Succeeded
        : ValueTaskSourceStatus.Faulted;

    public void Complete(Process loop, Exception? error = null)
    {
        var (continuation, state) = (_continuation, _state);
        _continuation = Done;
        _state = error;   // the waiter's state slot is free from here on: it carries the outcome, so a waiter needs no field of its own for it
        if (continuation is not null && !ReferenceEquals(continuation, Done)) loop.Resume(continuation, state);
    }

    public void OnCompleted(Process loop, Action<object?> continuation, object? state)
    {
        if (IsDone) loop.Wake(continuation, state);
        else
        {
            _continuation = continuation;
            _state = state;
        }
    }

    public readonly void ThrowIfFailed()
    {
        if (IsDone && _state is Exception error) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Ready for the next wait (pooled sudogs and selects).</summary>
    public void Reset() => this = default;
}

/// <summary>What a sleeping coroutine awaits: completed by its timer's firing, on the loop.</summary>
internal sealed class Completion(Process loop) : IValueTaskSource
{
    private Resumption _resumption;

    public ValueTask Task => new(this, 0);

    public void Complete() => _resumption.Complete(loop);

    public ValueTaskSourceStatus GetStatus(short token) => _resumption.Status;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _resumption.OnCompleted(loop, continuation, state);

    public void GetResult(short token) => _resumption.ThrowIfFailed();
}
