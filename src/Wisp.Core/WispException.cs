namespace Wisp;

/// <summary>
/// The kind of an error, as the seed's runtime classifies them (its Lua <c>errors</c> constants carry the same
/// names, <see cref="Unknown"/> as the empty string); <see cref="InvalidState"/> and <see cref="LimitExceeded"/>
/// are Wisp's own.
/// </summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    AlreadyExists,
    InvalidState,
    LimitExceeded,
    Unavailable,
    Internal,
    PermissionDenied,
    Canceled,
    Conflict,
    Timeout,
    RateLimited,
    Unknown,
}

/// <summary>An error raised by a runtime operation. The message is the documented one; the kind says which class it is.</summary>
public class WispException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
}

/// <summary>Thrown by a send on a closed channel, and into senders blocked on a channel that gets closed.</summary>
public sealed class ChannelClosedException() : WispException(ErrorKind.InvalidState, "send on closed channel");

/// <summary>
/// Thrown by runtime operations called after the process has exited (its main returned, it failed or it was
/// terminated): the rest of the process's code must not go on acting in its name.
/// </summary>
public sealed class ProcessExitedException(Pid pid) : WispException(ErrorKind.InvalidState, $"process {pid} has exited");

/// <summary>
/// Ends a process with a given <see cref="ProcessError"/>, kind, retryable flag and details included: what a
/// runtime throws from a coroutine when the code it runs failed (a Lua error).
/// </summary>
public sealed class ProcessFailedException(ProcessError error) : WispException(error.Kind, error.Message)
{
    public ProcessError Error { get; } = error;
}
