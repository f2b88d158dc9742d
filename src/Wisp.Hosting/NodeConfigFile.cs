using Wisp.Hosting.Entries;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting;

/// <summary>
/// The node's configuration file beside the lock file: <c>.wisp.yaml</c>, or the reference's <c>.wippy.yaml</c>. Wisp
/// reads its <c>cluster:</c> section (other top-level sections are the reference's and are left alone):
/// <code>
/// cluster:
///   enabled: true                    # the section applies only when true, as in the reference
///   name: node-1                     # the node's name in PIDs
///   listen: 127.0.0.1:7950           # host:port the node listens on (or membership.bind_addr / bind_port)
///   seeds: [127.0.0.1:7950, ...]     # nodes to join (or membership.join_addrs: "a:7950,b:7950")
///   default_scope: eventual          # the registry scope of a name registered without one
///   membership: {secret_file: cluster.key}   # the shared secret peers must prove (or secret: inline)
///   failure_detector: {heartbeat_interval: 200ms, acceptable_heartbeat_pause: 800ms}
/// </code>
/// The reference's <c>raft</c>, <c>failure_domain</c> and <c>internode</c> keys are accepted and have no effect (Wisp's
/// engine has no Raft core); any other key is an error naming the file, line and key (<see cref="EntryLoadException"/>).
/// </summary>
public sealed record NodeConfigFile(ClusterSection? Cluster)
{
    public const string DefaultFileName = ".wisp.yaml";
    public const string LegacyFileName = ".wippy.yaml";

    private static readonly string[] ClusterKeys =
        ["enabled", "name", "listen", "seeds", "default_scope", "failure_detector", "membership", "raft", "failure_domain", "internode"];
    private static readonly string[] MembershipKeys = ["join_addrs", "bind_addr", "bind_port", "secret", "secret_file"];
    private static readonly string[] DetectorKeys = ["heartbeat_interval", "acceptable_heartbeat_pause"];

    /// <summary>The configuration file in <paramref name="directory"/>, or null.</summary>
    public static string? Find(string directory) =>
        new[] { DefaultFileName, LegacyFileName }.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    public static NodeConfigFile Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new EntryLoadException(new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column), null, null, $"invalid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0) return new NodeConfigFile(Cluster: null);
        var root = YamlMap.From(stream.Documents[0].RootNode, new YamlScope(path, Entry: null), path: "");
        if (root.Map("cluster") is not { } cluster) return new NodeConfigFile(Cluster: null);
        cluster.RejectUnknownKeys(ClusterKeys, "'cluster'");
        var membership = cluster.Map("membership");
        membership?.RejectUnknownKeys(MembershipKeys, "'cluster.membership'");
        string? secret = membership?.OptionalString("secret");
        if (membership?.OptionalString("secret_file") is { } secretFile)
        {
            var secretPath = Path.GetFullPath(secretFile, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            if (!File.Exists(secretPath))
                throw membership.Error(membership.Find("secret_file")!, "secret_file", $"no such file: {secretPath}");
            secret = File.ReadAllText(secretPath).Trim();
        }
        var detector = cluster.Map("failure_detector");
        detector?.RejectUnknownKeys(DetectorKeys, "'cluster.failure_detector'");

        var seeds = new List<string>();
        if (cluster.Find("seeds") is YamlSequenceNode)
            foreach (var (node, itemPath) in cluster.Sequence("seeds")) seeds.Add(cluster.TextAt(node, itemPath));
        else if (cluster.OptionalString("seeds") is { } seedText) seeds.AddRange(SplitList(seedText));
        if (membership?.OptionalString("join_addrs") is { } joinAddrs) seeds.AddRange(SplitList(joinAddrs));

        string? listen = cluster.OptionalString("listen");
        if (listen is null && (membership?.Contains("bind_addr") == true || membership?.Contains("bind_port") == true))
            listen = $"{membership.OptionalString("bind_addr") ?? "0.0.0.0"}:{membership.Int("bind_port", 0) ?? 0}";

        RegistryScope? scope = null;
        if (cluster.OptionalString("default_scope") is { } scopeText)
            scope = ParseScope(scopeText) ?? throw cluster.Error(cluster.Find("default_scope")!, "default_scope",
                $"'{scopeText}' is not a registry scope (local, eventual, consistent or strong)");

        return new NodeConfigFile(new ClusterSection(
            cluster.Bool("enabled", false), cluster.OptionalString("name"), listen, seeds, scope, secret,
            detector?.Contains("heartbeat_interval") == true ? detector.Duration("heartbeat_interval", default, allowZero: false) : null,
            detector?.Contains("acceptable_heartbeat_pause") == true ? detector.Duration("acceptable_heartbeat_pause", default, allowZero: false) : null));
    }

    /// <summary>A scope by name (<c>eventual</c>) or number (<c>1</c>), as the reference numbers them; null if it is neither.</summary>
    public static RegistryScope? ParseScope(string text) => text.Trim().ToLowerInvariant() switch
    {
        "local" or "0" => RegistryScope.Local,
        "eventual" or "1" => RegistryScope.Eventual,
        "consistent" or "2" => RegistryScope.Consistent,
        "strong" or "3" => RegistryScope.Strong,
        _ => null,
    };

    private static IEnumerable<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The <c>cluster:</c> section of <see cref="NodeConfigFile"/>: what was written, unchecked (the cluster layer checks it).</summary>
public sealed record ClusterSection(bool Enabled, string? Name, string? Listen, IReadOnlyList<string> Seeds, RegistryScope? DefaultScope,
    string? Secret, TimeSpan? HeartbeatInterval, TimeSpan? AcceptableHeartbeatPause);
