using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace Wisp.Cluster;

/// <summary>
/// Akka's log events, written through the node's logger factory (category <c>wisp.cluster.akka</c>) instead of Akka's
/// own console logger: the terminal stays the processes'. Registered by name in the engine's configuration; the
/// factory comes from the system's <see cref="LoggingSetup"/>.
/// </summary>
internal sealed class EngineLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public EngineLogger()
    {
        var logger = Context.System.Settings.Setup.Get<LoggingSetup>().Value?.Factory.CreateLogger("wisp.cluster.akka");
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (logger is null) return;
            var level = e.LogLevel() switch
            {
                Akka.Event.LogLevel.ErrorLevel => Microsoft.Extensions.Logging.LogLevel.Error,
                Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
                Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
                _ => Microsoft.Extensions.Logging.LogLevel.Debug,
            };
            if (e is Error { Cause: { } cause }) logger.Log(level, cause, "{source}: {message}", e.LogSource, e.Message);
            else logger.Log(level, "{source}: {message}", e.LogSource, e.Message);
        });
    }
}

/// <summary>The logger factory the engine's log events go to.</summary>
internal sealed class LoggingSetup(ILoggerFactory factory) : Akka.Actor.Setup.Setup
{
    public ILoggerFactory Factory { get; } = factory;
}
