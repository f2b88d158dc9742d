using Microsoft.Extensions.Logging;

namespace Wisp;

/// <summary>
/// The node's one log entry for each process that ends with an error, as Erlang's crash reports: its PID, entry and
/// error (with the exception or trace that has one), written once, on the process's loop as it exits, whether or not
/// anyone monitors it (category <c>wisp.crash</c>). The level says how unexpected the end is: a failure (an exception,
/// an error result) is Error; an end that follows another's (a linked process failed) is Warning; a terminate is
/// Information; and anything while the host is stopping is Debug (a shutdown ends processes on purpose).
/// </summary>
internal static class CrashReport
{
    public static void Write(Process process, ProcessError error)
    {
        var logger = process.Node.LoggerFactory.CreateLogger("wisp.crash");
        var level = !process.Host.IsAccepting ? LogLevel.Debug
            : error.Message == ProcessErrors.Terminated ? LogLevel.Information
            : error.Message.StartsWith(ProcessErrors.LinkedFailedPrefix, StringComparison.Ordinal) ? LogLevel.Warning
            : LogLevel.Error;
        if (!logger.IsEnabled(level)) return;
        string entry = process.EntryId.Length > 0 ? process.EntryId : "(a body)";
        if (error.Trace is { } trace)
            logger.Log(level, "process {pid} ({entry}) ended with an error: {error}\n{trace}", process.Pid, entry, error.Message, trace);
        else
            logger.Log(level, error.Exception, "process {pid} ({entry}) ended with an error: {error}", process.Pid, entry, error.Message);
    }
}

/// <summary>The messages of the errors the runtime itself ends processes with.</summary>
internal static class ProcessErrors
{
    public const string Terminated = "process terminated";
    public const string LinkedFailedPrefix = "linked process failed: ";
}
