namespace Wisp;

/// <summary>What happened: the kinds of lifecycle events a process receives on its events channel.</summary>
public enum EventKind
{
    /// <summary><c>pid.exit</c>: a monitored process ended, normally or not.</summary>
    Exit,
    /// <summary><c>pid.link.down</c>: a linked process failed (delivered only with trap_links on).</summary>
    LinkDown,
    /// <summary><c>pid.cancel</c>: someone asks this process to stop (cooperative).</summary>
    Cancel,
}

/// <summary>
/// An error value: what a process ended with, or an error carried in a payload (a Lua error object).
/// </summary>
/// <param name="Message">What went wrong, for a person.</param>
/// <param name="Kind">Which kind of error it is, for code (the reference's error kinds).</param>
/// <param name="Retryable">false tells a supervisor not to restart the service; null leaves it unsaid (it restarts).</param>
public sealed record ProcessError(string Message, ErrorKind Kind = ErrorKind.Internal, bool? Retryable = null)
{
    public Exception? Exception { get; init; }

    /// <summary>Structured data about the error (a payload value: a <see cref="PayloadMap"/>, say), or null.</summary>
    public object? Details { get; init; }

    /// <summary>Where the error came from, for the node's crash report (a Lua traceback); local only, never sent anywhere.</summary>
    public string? Trace { get; init; }

    public static ProcessError From(Exception exception) => exception switch
    {
        ProcessFailedException failed => failed.Error,
        WispException w => new ProcessError(w.Message, w.Kind) { Exception = w },
        _ => new ProcessError(exception.Message) { Exception = exception },
    };

    public override string ToString() => Message;
}

/// <summary>How a process ended: its main's return value, or the error it failed with.</summary>
public sealed record ExitResult(object? Value, ProcessError? Error)
{
    public bool IsError => Error is not null;

    private static readonly ExitResult Nil = new(null, null);

    public static ExitResult Success(object? value) => value is null ? Nil : new(value, null);
    public static ExitResult Failure(ProcessError error) => new(null, error);

    public override string ToString() => IsError ? $"error: {Error}" : $"value: {Value ?? "nil"}";
}

/// <summary>
/// A lifecycle event: EXIT, LINK_DOWN or CANCEL, as the seed's runtime delivers them. Every monitored exit makes one,
/// so it is kept small: the time as its clock ticks and offset, and the result or the reason in one field (the kind says
/// which).
/// </summary>
public sealed class ProcessEvent
{
    private readonly long _atTicks;           // DateTimeOffset.Ticks: the clock time at its offset
    private readonly short _atOffsetMinutes;  // in the padding beside the kind: the offset costs no byte
    private readonly object? _detail;         // the ExitResult of an EXIT or LINK_DOWN, the reason of a CANCEL

    private ProcessEvent(EventKind kind, Pid from, DateTimeOffset at, object? detail)
    {
        Kind = kind;
        From = from;
        _atTicks = at.Ticks;
        _atOffsetMinutes = (short)at.TotalOffsetMinutes;
        _detail = detail;
    }

    public EventKind Kind { get; }

    /// <summary>The seed's name of the kind: <c>pid.exit</c>, <c>pid.link.down</c> or <c>pid.cancel</c>.</summary>
    public string KindName => Kind switch
    {
        EventKind.Exit => "pid.exit",
        EventKind.LinkDown => "pid.link.down",
        _ => "pid.cancel",
    };

    /// <summary>The process that ended (EXIT, LINK_DOWN) or that asked for the cancel (CANCEL).</summary>
    public Pid From { get; }

    /// <summary>When it happened, with the offset it was given (the runtime's own events: UTC).</summary>
    public DateTimeOffset At => new(_atTicks, TimeSpan.FromMinutes(_atOffsetMinutes));

    /// <summary>How the process ended; null for CANCEL.</summary>
    public ExitResult? Result => _detail as ExitResult;

    /// <summary>Why the cancel was asked; null for EXIT and LINK_DOWN.</summary>
    public string? Reason => _detail as string;

    public static ProcessEvent Exit(Pid from, DateTimeOffset at, ExitResult result) => new(EventKind.Exit, from, at, result);
    public static ProcessEvent LinkDown(Pid from, DateTimeOffset at, ExitResult result) => new(EventKind.LinkDown, from, at, result);
    public static ProcessEvent Cancel(Pid from, DateTimeOffset at, string reason) => new(EventKind.Cancel, from, at, reason);

    public override string ToString() => Kind == EventKind.Cancel
        ? $"{KindName} from {From}: {Reason}"
        : $"{KindName} from {From}: {Result}";
}
