namespace Wisp;

/// <summary>Where a name is known (the reference's scopes, with its numbers).</summary>
public enum RegistryScope
{
    /// <summary>This node only; instant.</summary>
    Local = 0,
    /// <summary>Every node, eventually (replicated); on a conflict one holder wins, the other gets CANCEL "name revoked: name".</summary>
    Eventual = 1,
    /// <summary>Every node; the first holder wins, a later one gets AlreadyExists.</summary>
    Consistent = 2,
    /// <summary>Consistent, acknowledged by every live node before it is held.</summary>
    Strong = 3,
}

/// <summary>
/// The names of the cluster scopes, kept by the cluster engine and attached to <see cref="Registry"/>. The core keeps
/// the LOCAL scope itself; a send or lookup by name asks this first (most authoritative scope first, as the
/// reference resolves), then the local names.
/// Contract: <see cref="Lookup"/> answers from what this node knows now (no waiting) and gives only holders it can
/// reach; <see cref="Released"/> is called once a process of this node has exited, after its exit is recorded.
/// </summary>
public interface IClusterNames
{
    /// <summary>
    /// Holds <paramref name="name"/> for <paramref name="pid"/> (a live process of this node) in a scope that needs no
    /// agreement (EVENTUAL); AlreadyExists when another process holds it; InvalidState for a scope that needs the
    /// cluster's agreement (use <see cref="RegisterAsync"/>).
    /// </summary>
    void Register(string name, Pid pid, RegistryScope scope);

    /// <summary>
    /// Holds the name in any cluster scope, once the cluster agrees for CONSISTENT (the first holder wins: a later one
    /// fails with AlreadyExists, naming the holder); Unavailable when the cluster cannot decide (no authority reachable).
    /// </summary>
    Task RegisterAsync(string name, Pid pid, RegistryScope scope);

    /// <summary>Lets go of the name if <paramref name="owner"/> holds it in that scope; false if it does not.</summary>
    bool Unregister(string name, Pid owner, RegistryScope scope);

    /// <summary>The holder of the name in the cluster scopes, or null.</summary>
    Pid? Lookup(string name);

    /// <summary>A process of this node has exited: every cluster name it held is released.</summary>
    void Released(Pid pid);
}
