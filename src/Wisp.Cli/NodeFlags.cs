using System.CommandLine;
using Wisp.Cluster;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Cli;

/// <summary>
/// The options that say which node a command runs as: <c>--node NAME --listen HOST:PORT --seeds A,B</c> join a cluster
/// (over the <c>cluster:</c> section of the folder's <c>.wisp.yaml</c> / <c>.wippy.yaml</c>, which they override),
/// <c>--default-scope</c> sets the scope of names registered without one, and <c>-o ns:entry:field=value</c> (repeatable)
/// changes an entry's field before the entries are read. Without <c>--node</c> or an enabled cluster section the node
/// is standalone, and needs no configuration at all.
/// </summary>
internal sealed class NodeFlags
{
    private readonly Option<string?> _node = new("--node") { Description = "Join a cluster as this node (the node part of its PIDs)" };
    private readonly Option<string?> _listen = new("--listen") { Description = "host:port the node listens on for its peers (default 127.0.0.1:0, any free port)" };
    private readonly Option<string?> _advertise = new("--advertise") { Description = "host:port peers reach this node at, when not the listen address (NAT, a proxy)" };
    private readonly Option<string[]> _seeds = new("--seeds")
    {
        Description = "Nodes to join, host:port, comma-separated or repeated (list the node's own address first to let it start the cluster)",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<string?> _scope = new("--default-scope") { Description = "Scope of a name registered without one: local, eventual, consistent, strong" };
    private readonly Option<string?> _secretFile = new("--secret-file") { Description = "File holding the cluster's shared secret: peers talk mutual TLS and must prove it" };
    private readonly Option<string[]> _overrides = new("--override", "-o") { Description = "Set an entry's field before the entries are read: ns:entry:field=value (repeatable)" };

    public IEnumerable<Option> All => [_node, _listen, _advertise, _seeds, _scope, _secretFile, _overrides];

    /// <summary>The runtime options for the command's node; an Invalid error or an <see cref="EntryLoadException"/> when the flags or the configuration file are wrong.</summary>
    public WispRuntimeOptions Apply(ParseResult parse, string folder, WispRuntimeOptions runtime)
    {
        runtime = runtime with { Overrides = (parse.GetValue(_overrides) ?? []).Select(EntryOverride.Parse).ToList() };
        var section = NodeConfigFile.Find(folder) is { } file ? NodeConfigFile.Read(file).Cluster : null;
        if (section is { Enabled: false }) section = null;
        var scopeText = parse.GetValue(_scope);
        var scope = scopeText is null ? section?.DefaultScope
            : NodeConfigFile.ParseScope(scopeText) ?? throw new WispException(ErrorKind.Invalid,
                $"--default-scope: '{scopeText}' is not a registry scope (local, eventual, consistent or strong)");
        var name = parse.GetValue(_node) ?? section?.Name;
        if (name is null)
        {
            if (parse.GetValue(_listen) is not null || parse.GetValue(_advertise) is not null || parse.GetValue(_seeds) is { Length: > 0 })
                throw new WispException(ErrorKind.Invalid, "--listen, --advertise and --seeds need --node NAME (the node's name in the cluster)");
            if (scope is { } standalone && standalone != RegistryScope.Local)
                throw new WispException(ErrorKind.Invalid, "--default-scope other than local needs a cluster (--node NAME)");
            return runtime;
        }
        var seeds = parse.GetValue(_seeds) is { Length: > 0 } given
            ? given.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : section?.Seeds ?? [];
        var secret = section?.Secret;
        if (parse.GetValue(_secretFile) is { } secretFile)
        {
            var secretPath = Path.GetFullPath(secretFile, folder);
            secret = File.Exists(secretPath) ? File.ReadAllText(secretPath).Trim()
                : throw new WispException(ErrorKind.Invalid, $"--secret-file: no such file: {secretPath}");
        }
        var defaults = new ClusterOptions { NodeName = name, Listen = "127.0.0.1:0" };
        var cluster = new ClusterExtension(defaults with
        {
            Listen = parse.GetValue(_listen) ?? section?.Listen ?? defaults.Listen,
            Advertise = parse.GetValue(_advertise),
            Seeds = seeds,
            Secret = secret,
            HeartbeatInterval = section?.HeartbeatInterval ?? defaults.HeartbeatInterval,
            AcceptableHeartbeatPause = section?.AcceptableHeartbeatPause ?? defaults.AcceptableHeartbeatPause,
        });
        cluster.Options.Validate();
        return cluster.ForRuntime(runtime with { DefaultScope = scope ?? RegistryScope.Local });
    }
}
