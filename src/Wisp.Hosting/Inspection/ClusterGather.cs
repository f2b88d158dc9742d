using System.Text.Json;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// Gathers a <see cref="ClusterView"/>: a short-lived process on the control host asks each peer's
/// <see cref="InspectionResponder"/> by name and collects the answers until all have come or <see cref="Timeout"/> has
/// passed; a peer without a responder, or too slow, is listed as missing.
/// </summary>
public static class ClusterGather
{
    /// <summary>How long the peers have to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static Task<ClusterView> GatherAsync(Node node, NodeSnapshot local, IReadOnlyList<string> peers)
    {
        if (peers.Count == 0) return Task.FromResult(new ClusterView([local], []));
        var view = new TaskCompletionSource<ClusterView>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(ProcessDefinition.FromBody("wisp:inspect-gather", async p =>
        {
            try
            {
                view.SetResult(await Gather(p, local, peers));
            }
            catch (Exception e)
            {
                view.TrySetException(e);
            }
            return null;
        }), Supervisor.ControlHost);
        return view.Task;
    }

    private static async Task<ClusterView> Gather(ProcessContext p, NodeSnapshot local, IReadOnlyList<string> peers)
    {
        var answered = new Dictionary<string, NodeSnapshot>(StringComparer.Ordinal);
        int asked = 0;
        foreach (var peer in peers)
        {
            try
            {
                p.Send(InspectionResponder.NameOf(peer), InspectionResponder.RequestTopic);
                asked++;
            }
            catch (WispException)
            {
                // no responder known by that name (yet): the peer is missing
            }
        }
        var deadline = p.After(Timeout);
        while (answered.Count < asked)
        {
            var r = await p.Select(p.Inbox.CaseReceive(), deadline.CaseReceive());
            if (r.Channel == deadline) break;
            if (r.ValueAs<Message>() is { Topic: InspectionResponder.ReplyTopic } reply
                && JsonSerializer.Deserialize<NodeSnapshot>(reply.Payload<string>(), InspectionProtocol.Json) is { } snapshot)
                answered[snapshot.Node] = snapshot;
        }
        return new ClusterView(
            [local, .. peers.Where(answered.ContainsKey).Select(peer => answered[peer])],
            [.. peers.Where(peer => !answered.ContainsKey(peer))]);
    }
}
