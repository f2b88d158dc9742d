using System.Diagnostics;

namespace Wisp;

/// <summary>
/// Traces of message flow (activity source <see cref="WispTelemetry.SourceName"/>): a send is an activity
/// <c>wisp.send</c> (Producer) and the message carries its context; the slice of the receiving process that takes it
/// is an activity <c>wisp.receive</c> (Consumer), its child, and the sends of that slice are children of it, so a
/// request's path through processes (and nodes: the context travels in the wire envelope) is one trace.
///
/// Rules:
/// - nothing is traced unless a listener samples the source: with no listener a send costs one check
///   (<see cref="ActivitySource.HasListeners"/>) and a message carries no context; a send the listener does not
///   sample (StartActivity returns null) carries none either;
/// - a send's parent is the sending process's receive activity of this slice if it has one, else the ambient
///   <see cref="Activity.Current"/> (a send from outside any process: a web request's activity);
/// - a receive activity lasts from the take of its message to the end of that slice (or the take of the next traced
///   message, or the process's exit, whose error it records); it is the process's state, not the thread's: Wisp
///   leaves <see cref="Activity.Current"/> as it found it, and process code reads it as <see cref="ProcessContext.Activity"/>.
/// </summary>
internal static class MessageTracing
{
    public const string SendName = "wisp.send";
    public const string ReceiveName = "wisp.receive";

    /// <summary>Sends <paramref name="message"/> with <paramref name="send"/> under a send activity, if one is sampled.</summary>
    public static void Send<TDestination>(Node node, TDestination destination, Message message, Process? sender,
        Action<Node, TDestination, Message, Process?> send) where TDestination : notnull
    {
        var previous = Activity.Current;
        var activity = sender?.TraceActivity is { } slice
            ? WispTelemetry.Source.StartActivity(SendName, ActivityKind.Producer, slice.Context)
            : WispTelemetry.Source.StartActivity(SendName, ActivityKind.Producer);
        if (activity is null)
        {
            send(node, destination, message, sender);
            return;
        }
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "wisp");
            activity.SetTag("messaging.destination.name", destination.ToString());
            activity.SetTag("wisp.topic", message.Topic);
            if (sender is not null) activity.SetTag("wisp.from", message.From.ToString());
        }
        try
        {
            send(node, destination, message.WithTrace(activity.Context), sender);
        }
        catch (Exception e)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            activity.Stop();
            Activity.Current = previous;
        }
    }

    /// <summary>The process's code took a traced message: its receive activity starts, and the previous one of the slice ends.</summary>
    public static void Taken(Process process, Message message)
    {
        End(process, null);
        var previous = Activity.Current;
        var activity = WispTelemetry.Source.StartActivity(ReceiveName, ActivityKind.Consumer, message.TraceContext);
        Activity.Current = previous;
        if (activity is null) return;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "wisp");
            activity.SetTag("messaging.destination.name", process.Pid.ToString());
            activity.SetTag("wisp.topic", message.Topic);
            activity.SetTag("wisp.from", message.From.ToString());
        }
        process.TraceActivity = activity;
    }

    /// <summary>Ends the process's receive activity, if any (the slice ended, or the process exited with <paramref name="error"/>).</summary>
    public static void End(Process process, ProcessError? error)
    {
        if (process.TraceActivity is not { } activity) return;
        process.TraceActivity = null;
        if (error is not null) activity.SetStatus(ActivityStatusCode.Error, error.Message);
        var previous = Activity.Current;
        activity.Stop();
        Activity.Current = previous;
    }
}
