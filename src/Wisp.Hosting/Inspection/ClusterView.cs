namespace Wisp.Hosting.Inspection;

/// <summary>
/// Every node of a cluster as one node's endpoint gathered them: its own snapshot first, then each peer's that
/// answered in time; <paramref name="Missing"/> names the peers that did not. A standalone node's view is itself alone.
/// </summary>
public sealed record ClusterView(IReadOnlyList<NodeSnapshot> Nodes, IReadOnlyList<string> Missing);
