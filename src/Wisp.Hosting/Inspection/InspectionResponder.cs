using Microsoft.Extensions.Logging;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// On a node of a cluster, the system process that answers other nodes' inspection endpoints: registered as
/// <c>wisp.inspect@NODE</c> (EVENTUAL, so every node can send to it by name), it answers a message of topic
/// <see cref="RequestTopic"/> with this node's <see cref="NodeSnapshot"/> as JSON (topic <see cref="ReplyTopic"/>), and
/// ends on CANCEL when the node stops. It runs on the control host beside the supervisors and only reads.
/// </summary>
public sealed class InspectionResponder : INodeExtension
{
    public const string RequestTopic = "wisp.inspect";
    public const string ReplyTopic = "wisp.inspect.reply";

    /// <summary>The name the responder of <paramref name="node"/> registers.</summary>
    public static string NameOf(string node) => $"wisp.inspect@{node}";

    public Task StartAsync(WispRuntime runtime, CancellationToken cancellation)
    {
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = runtime.Node.LoggerFactory.CreateLogger("wisp.inspect");
        runtime.Node.Spawn(ProcessDefinition.FromBody("wisp:inspect", async p =>
        {
            try
            {
                await p.Registry.RegisterAsync(NameOf(runtime.Node.Name), RegistryScope.Eventual);
                registered.SetResult();
            }
            catch (WispException e)
            {
                registered.SetException(e);
                return null;
            }
            while (true)
            {
                var r = await p.Select(p.Inbox.CaseReceive(), p.Events.CaseReceive());
                if (r.Channel == p.Events)
                {
                    if (r.ValueAs<ProcessEvent>().Kind == EventKind.Cancel) return null;
                    continue;
                }
                var request = r.ValueAs<Message>();
                if (request.Topic != RequestTopic) continue;
                var snapshot = NodeSnapshot.Take(runtime);
                try
                {
                    p.Send(request.From, ReplyTopic, System.Text.Json.JsonSerializer.Serialize(snapshot, InspectionProtocol.Json));
                }
                catch (WispException e)
                {
                    logger.LogDebug("inspection reply to {pid} not sent: {error}", request.From, e.Message);   // the asker is gone
                }
            }
        }), Supervisor.ControlHost);
        return registered.Task.WaitAsync(cancellation);
    }

    public ValueTask StopAsync() => ValueTask.CompletedTask;   // the control host's stop cancels the process
}
