using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>
/// Reads one entry mapping of a file into its typed <see cref="Entry"/>, and records the references it makes
/// for <see cref="EntryLoader"/> to check once all files are read.
/// </summary>
internal sealed class EntryParser(string ns, string directory, List<EntryReference> references)
{
    private static readonly string[] CommonKeys = ["name", "kind", "meta"];

    // process.host pool settings. queue_size and local_queue_size size the reference runtime's fixed queues;
    // Wisp's thread pool grows on demand, so they are accepted (and checked) but not used. memory_limit caps what
    // each Lua process of the host may allocate.
    private static readonly string[] PoolKeys = ["workers", "mailbox_limit", "memory_limit", "queue_size", "local_queue_size"];

    private static readonly IReadOnlyDictionary<string, string[]> KindKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [TerminalHostEntry.KindName] = ["lifecycle", "hide_logs"],
        [ProcessHostEntry.KindName] = ["lifecycle", "host", .. PoolKeys],
        [ProcessServiceEntry.KindName] = ["process", "host", "input", "lifecycle"],
        [DotnetProcessEntry.KindName] = ["type", "method", "assembly"],
        [LuaEntry.ProcessKind] = ["source", "method", "modules", "imports"],
        // pool sizes the reference's pool of function workers; a call here runs as a process of the caller's host
        [LuaEntry.FunctionKind] = ["source", "method", "modules", "imports", "pool"],
        [LuaEntry.LibraryKind] = ["source", "modules", "imports"],
        [DataEntry.KindName] = [],   // any keys: they are its data
    };

    private static readonly string[] LifecycleKeys =
        ["auto_start", "startup", "start_timeout", "stop_timeout", "stable_threshold", "requires", "depends_on", "restart"];

    private static readonly string[] RestartKeys = ["initial_delay", "max_delay", "backoff_factor", "jitter", "max_attempts"];

    /// <summary>The kinds a service's <c>process</c> may name.</summary>
    internal static readonly string[] ProcessKinds = [DotnetProcessEntry.KindName, LuaEntry.ProcessKind];

    /// <summary>The kinds a service's <c>host</c> may name.</summary>
    internal static readonly string[] HostKinds = [ProcessHostEntry.KindName, TerminalHostEntry.KindName];

    private const string FileScheme = "file://";

    /// <param name="entry">The entry's mapping; its scope names the entry by position until its id is known.</param>
    /// <param name="fileKeys">File-level keys that share the mapping (a file holding a single top-level entry).</param>
    public Entry Parse(YamlMap entry, IReadOnlyCollection<string> fileKeys)
    {
        var nameNode = entry.Required("name");
        var name = entry.Text(nameNode, "name");
        if (!EntryId.IsValidName(name))
            throw entry.Error(nameNode, "name", $"invalid name '{name}' (expected letters, digits, '.', '_' or '-')");
        var id = new EntryId(ns, name);
        entry = entry.WithScope(entry.Scope with { Entry = id.ToString() });

        var kindNode = entry.Required("kind");
        var kind = entry.Text(kindNode, "kind");
        if (!KindKeys.TryGetValue(kind, out var kindKeys))
            throw entry.Error(kindNode, "kind", $"unknown kind '{kind}' (known kinds: {string.Join(", ", KindKeys.Keys)})");
        if (kind != DataEntry.KindName) entry.RejectUnknownKeys([.. CommonKeys, .. kindKeys, .. fileKeys], $"kind '{kind}'");

        var meta = entry.PlainMap("meta");
        var location = entry.Scope.Locate(entry.KeyNode("name"));
        var parsed = ParseKind(entry, kind, id, meta, location);
        return parsed with { Data = DataOf(entry, fileKeys) };
    }

    /// <summary>The entry's keys other than the common ones and the file's, as plain values.</summary>
    private static IReadOnlyDictionary<string, object?> DataOf(YamlMap entry, IReadOnlyCollection<string> fileKeys)
    {
        var all = YamlScalars.ToPlainMap(entry.Node, entry.Scope, "");
        var data = all.Where(pair => !CommonKeys.Contains(pair.Key) && !fileKeys.Contains(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return data.AsReadOnly();
    }

    private Entry ParseKind(YamlMap entry, string kind, EntryId id, IReadOnlyDictionary<string, object?> meta, SourceLocation location)
    {
        return kind switch
        {
            TerminalHostEntry.KindName => new TerminalHostEntry(
                id, meta, location, ParseLifecycle(entry), entry.Bool("hide_logs", false)),
            ProcessHostEntry.KindName => ParseProcessHost(entry, id, meta, location),
            ProcessServiceEntry.KindName => new ProcessServiceEntry(
                id, meta, location,
                Process: Reference(entry, "process", ProcessKinds),
                Host: Reference(entry, "host", HostKinds),
                Input: entry.Sequence("input").Select(item => YamlScalars.ToPlain(item.Node, entry.Scope, item.Path)).ToList().AsReadOnly(),
                Lifecycle: ParseLifecycle(entry)),
            DotnetProcessEntry.KindName => new DotnetProcessEntry(
                id, meta, location, entry.RequiredString("type"), entry.OptionalString("method") ?? "Main", AssemblyPath(entry)),
            DataEntry.KindName => new DataEntry(id, meta, location),
            _ => ParseLua(entry, kind, id, meta, location),
        };
    }

    private ProcessHostEntry ParseProcessHost(YamlMap entry, EntryId id, IReadOnlyDictionary<string, object?> meta, SourceLocation location)
    {
        var pool = entry.Map("host");
        pool?.RejectUnknownKeys(PoolKeys, "'host'");
        var workers = PoolSetting(entry, pool, "workers");
        var mailboxLimit = PoolSetting(entry, pool, "mailbox_limit");
        PoolSetting(entry, pool, "queue_size");         // checked only: see PoolKeys
        PoolSetting(entry, pool, "local_queue_size");
        if (entry.Contains("memory_limit") && pool?.Contains("memory_limit") == true)
            throw entry.Error(entry.KeyNode("memory_limit"), "memory_limit", "'memory_limit' is set both here and under 'host'; keep one");
        var memoryLimit = entry.Size("memory_limit") ?? pool?.Size("memory_limit");
        return new ProcessHostEntry(id, meta, location, ParseLifecycle(entry), workers, mailboxLimit, memoryLimit);
    }

    // Pool settings may be written at the top level of the entry or under 'host:', but not both.
    private static int? PoolSetting(YamlMap entry, YamlMap? pool, string key)
    {
        var top = entry.Int(key, min: 1);
        var nested = pool?.Int(key, min: 1);
        if (top is not null && nested is not null)
            throw entry.Error(entry.KeyNode(key), key, $"'{key}' is set both here and under 'host'; keep one");
        return top ?? nested;
    }

    /// <summary>The <c>assembly</c> of a C# entry: a path (or <c>file://</c> path) relative to the YAML file; it must exist.</summary>
    private string? AssemblyPath(YamlMap entry)
    {
        if (entry.OptionalString("assembly") is not { } written) return null;
        var relative = written.StartsWith(FileScheme, StringComparison.Ordinal) ? written[FileScheme.Length..] : written;
        var path = FullPath(entry, "assembly", relative);
        return File.Exists(path) ? path : throw entry.Error(entry.Required("assembly"), "assembly", $"assembly not found: {path}");
    }

    /// <summary>A path relative to the YAML file's directory, made absolute; a NUL, which no path may hold, is the key's error.</summary>
    private string FullPath(YamlMap entry, string key, string relative) =>
        relative.Contains('\0')
            ? throw entry.Error(entry.Required(key), key, "a path must not contain a NUL character")
            : Path.GetFullPath(Path.Combine(directory, relative));

    private LuaEntry ParseLua(YamlMap entry, string kind, EntryId id, IReadOnlyDictionary<string, object?> meta, SourceLocation location)
    {
        var sourceNode = entry.Required("source");
        var source = entry.Text(sourceNode, "source");
        if (!source.StartsWith(FileScheme, StringComparison.Ordinal) || source.Length == FileScheme.Length)
            throw entry.Error(sourceNode, "source", $"invalid source '{source}' (expected {FileScheme}relative/path)");
        var sourcePath = FullPath(entry, "source", source[FileScheme.Length..]);

        var modules = entry.Sequence("modules").Select(item => entry.TextAt(item.Node, item.Path)).ToList().AsReadOnly();
        var imports = new Dictionary<string, EntryId>(StringComparer.Ordinal);
        if (entry.Map("imports") is { } importMap)
            foreach (var (aliasNode, target) in importMap.Node.Children)
            {
                var alias = entry.TextAt(aliasNode, entry.PathOf("imports"));
                imports[alias] = Reference(importMap, target, importMap.PathOf(alias), kinds: null);
            }
        entry.Map("pool");   // function.lua: checked to be a map, not used (see KindKeys)
        return new LuaEntry(
            id, kind, meta, location, source, sourcePath, entry.OptionalString("method") ?? "main", modules, imports.AsReadOnly());
    }

    private Lifecycle ParseLifecycle(YamlMap entry)
    {
        if (entry.Map("lifecycle") is not { } lifecycle) return Lifecycle.Default;
        lifecycle.RejectUnknownKeys(LifecycleKeys, "'lifecycle'");
        var defaults = Lifecycle.Default;

        bool optional = false;
        if (lifecycle.Find("startup") is { } startupNode)
        {
            optional = lifecycle.Text(startupNode, "startup") switch
            {
                "required" => false,
                "optional" => true,
                var other => throw lifecycle.Error(startupNode, "startup", $"invalid startup '{other}' (expected required or optional)"),
            };
        }

        // depends_on is the seed's older name for requires.
        if (lifecycle.Contains("requires") && lifecycle.Contains("depends_on"))
            throw lifecycle.Error(lifecycle.KeyNode("depends_on"), "depends_on", "set either 'requires' or its legacy alias 'depends_on', not both");
        var requiresKey = lifecycle.Contains("depends_on") ? "depends_on" : "requires";
        var requires = lifecycle.Sequence(requiresKey)
            .Select(item => Reference(lifecycle, item.Node, item.Path, kinds: [], role: "requirement"))
            .ToList().AsReadOnly();

        return new Lifecycle(
            AutoStart: lifecycle.Bool("auto_start", defaults.AutoStart),
            Optional: optional,
            StartTimeout: lifecycle.Duration("start_timeout", defaults.StartTimeout, allowZero: false),
            StopTimeout: lifecycle.Duration("stop_timeout", defaults.StopTimeout, allowZero: false),
            StableThreshold: lifecycle.Duration("stable_threshold", defaults.StableThreshold, allowZero: true),
            Requires: requires,
            Restart: ParseRestart(lifecycle.Map("restart")));
    }

    private static RestartPolicy ParseRestart(YamlMap? restart)
    {
        if (restart is null) return RestartPolicy.Default;
        restart.RejectUnknownKeys(RestartKeys, "'restart'");
        var defaults = RestartPolicy.Default;
        var initial = restart.Duration("initial_delay", defaults.InitialDelay, allowZero: true);
        var max = restart.Duration("max_delay", defaults.MaxDelay, allowZero: false);
        if (max < initial)
        {
            var key = restart.Find("max_delay") is not null ? "max_delay" : "initial_delay";
            throw restart.Error(restart.Find(key)!, key, $"max_delay ({max.TotalSeconds}s) is less than initial_delay ({initial.TotalSeconds}s)");
        }
        return new RestartPolicy(
            initial, max,
            BackoffFactor: restart.Double("backoff_factor", defaults.BackoffFactor, min: 1, max: null),
            Jitter: restart.Double("jitter", defaults.Jitter, min: 0, max: 1),
            MaxAttempts: restart.Int("max_attempts", min: 0) ?? defaults.MaxAttempts);
    }

    private EntryId Reference(YamlMap entry, string key, string[] kinds) =>
        Reference(entry, entry.Required(key), entry.PathOf(key), kinds, role: key);

    /// <summary>
    /// Resolves <c>ns:name</c> or a name in this file's namespace. With <paramref name="kinds"/> null the
    /// reference is not checked against the loaded entries (Lua imports may name libraries Wisp does not load).
    /// </summary>
    private EntryId Reference(YamlMap owner, YamlNode node, string keyPath, string[]? kinds, string role = "reference")
    {
        var text = owner.TextAt(node, keyPath);
        var resolved = text.Contains(':') ? text : $"{ns}:{text}";
        if (!EntryId.TryParse(resolved, out var target))
            throw owner.Scope.Error(node, keyPath, $"invalid reference '{text}' (expected 'namespace:name' or a name in namespace '{ns}')");
        if (kinds is not null)
            references.Add(new EntryReference(target, role, kinds, owner.Scope.Locate(node), owner.Scope.Entry, keyPath));
        return target;
    }
}
