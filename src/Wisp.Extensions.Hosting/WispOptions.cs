using Wisp.Cluster;

namespace Wisp.Extensions.Hosting;

/// <summary>
/// A node's settings, bound from the <c>Wisp</c> configuration section (appsettings.json, environment variables such as
/// <c>Wisp__NodeName</c>, the command line's <c>--Wisp:NodeName</c>) and checked when the host starts: a wrong value
/// fails the start with a message that names its key (<c>Wisp:SourceDirectory: the folder … does not exist</c>).
/// </summary>
public sealed class WispOptions
{
    public const string SectionName = "Wisp";

    /// <summary>The folder of entry files (<c>*.yaml</c>), relative to the host's content root; null: only the entries made in code.</summary>
    public string? SourceDirectory { get; set; }

    /// <summary>
    /// The node's name in PIDs (<c>{node@host|id}</c>): letters, digits, '-', '_' and '.'; empty for a standalone node.
    /// With a <see cref="Cluster"/> section it names the cluster's node too, unless <c>Wisp:Cluster:NodeName</c> does.
    /// </summary>
    public string NodeName { get; set; } = "";

    /// <summary>The scope of a name registered without one: <c>Local</c>; on a cluster also <c>Eventual</c> or <c>Consistent</c>.</summary>
    public RegistryScope DefaultScope { get; set; } = RegistryScope.Local;

    /// <summary>How long a host waits at shutdown for its processes to honour CANCEL before terminating them (<c>00:00:10</c>).</summary>
    public TimeSpan HostStopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Changes to fields of the files' entries before they are read, <c>ns:entry:field=value</c> each (the command's <c>-o</c>).</summary>
    public List<string> Overrides { get; set; } = [];

    /// <summary>
    /// Joins a cluster when the section is present (<c>Wisp:Cluster:Listen</c>, <c>Wisp:Cluster:Seeds:0</c>, …; durations
    /// as <c>00:00:00.500</c>); <c>Listen</c> defaults to <c>127.0.0.1:0</c>, any free port. Null: a standalone node.
    /// </summary>
    public ClusterOptions? Cluster { get; set; }
}
