using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Wisp;

/// <summary>
/// What a parked coroutine awaits: completed once, on its process's loop, and its continuation is then put on
/// the loop's run queue rather than run inline, so the completer's stack never runs the woken coroutine.
/// Both the await (OnCompleted) and the completion happen on the owning loop's thread, so no field needs a
/// barrier; a completion from elsewhere (a timer) is first posted to the loop.
/// </summary>
internal sealed class Completion<T>(Process loop) : IValueTaskSource<T>, IValueTaskSource
{
    private Action<object?>? _continuation;
    private object? _state;
    private T _result = default!;
    private Exception? _error;
    private bool _done;

    public bool IsDone => _done;

    public ValueTask<T> Task => new(this, 0);
    public ValueTask VoidTask => new(this, 0);

    public void SetResult(T result)
    {
        _result = result;
        Finish();
    }

    public void SetException(Exception error)
    {
        _error = error;
        Finish();
    }

    private void Finish()
    {
        _done = true;
        if (_continuation is { } continuation)
        {
            _continuation = null;
            loop.Wake(continuation, _state);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) =>
        !_done ? ValueTaskSourceStatus.Pending
        : _error is null ? ValueTaskSourceStatus.Succeeded
        : ValueTaskSourceStatus.Faulted;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (_done) loop.Wake(continuation, state);
        else
        {
            _continuation = continuation;
            _state = state;
        }
    }

    public T GetResult(short token)
    {
        if (_error is not null) ExceptionDispatchInfo.Throw(_error);
        return _result;
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);
}
