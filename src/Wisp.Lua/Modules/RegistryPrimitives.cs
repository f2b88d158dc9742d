using Wisp.Hosting;
using Wisp.Hosting.Entries;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>registry</c> module's primitives, over the node's <see cref="EntryRegistry"/>: reads of a version (the
/// current one when none is given), the versions, and changesets. Snapshot, changes and version objects are Lua
/// tables of the prelude that hold a version id; entries come as <c>{id, kind, meta, data}</c> tables.
/// </summary>
internal static unsafe class RegistryPrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("reg_get", &Get);
        p.Add("reg_find", &Find);
        p.Add("reg_entries", &Entries);
        p.Add("reg_current", &Current);
        p.Add("reg_versions", &Versions);
        p.Add("reg_apply", &Apply);
        p.Add("reg_apply_version", &ApplyVersion);
    }

    private static EntryRegistry? RegistryOf(LuaCall call) => call.Process.Context.Feature<EntryRegistry>();

    /// <summary>The version at <paramref name="index"/> (none or nil: the current one), or null and an error pushed.</summary>
    private static IReadOnlyDictionary<string, RegistryEntry>? Snapshot(LuaCall call, int index, out int failed)
    {
        failed = 0;
        if (RegistryOf(call) is not { } registry)
        {
            failed = call.Fail("registry not available", ErrorKind.Internal);
            return null;
        }
        long? version = IsNoneOrNil(call.L, index) ? null : ToInteger(call.L, index);
        if (registry.Snapshot(version) is { } snapshot) return snapshot;
        failed = call.Fail($"version not found: {version}", ErrorKind.NotFound);
        return null;
    }

    /// <summary>reg_get(id, version?): the entry, or nil and the error.</summary>
    private static int Get(LuaCall call)
    {
        if (call.Type(1) != TString) return call.Fail("entry id must be a string", ErrorKind.Invalid);
        if (Snapshot(call, 2, out int failed) is not { } snapshot) return failed;
        var id = call.Text(1)!;
        if (!snapshot.TryGetValue(id, out var entry)) return call.Fail($"entry not found: {id}", ErrorKind.NotFound);
        PushEntry(call, entry);
        return 1;
    }

    /// <summary>reg_find(filter, version?): the matching entries, by id.</summary>
    private static int Find(LuaCall call)
    {
        if (call.Type(1) != TTable) return call.Fail("filter must be a table", ErrorKind.Invalid);
        if (Snapshot(call, 2, out int failed) is not { } snapshot) return failed;
        if (LuaValues.ToNeutral(call.Shard, call.L, 1, call.Process.MaxPayloadBytes) is not PayloadMap filter)
            return call.Fail("filter must be a table of fields", ErrorKind.Invalid);
        var fields = filter.Entries.ToDictionary(pair => pair.Key.ToString()!, pair => pair.Value);
        PushList(call, EntryRegistry.Find(snapshot.Values, fields));
        return 1;
    }

    /// <summary>reg_entries(version?, namespace?): the entries (of one namespace), by id.</summary>
    private static int Entries(LuaCall call)
    {
        if (Snapshot(call, 1, out int failed) is not { } snapshot) return failed;
        var ns = call.Type(2) == TString ? call.Text(2) : null;
        PushList(call, snapshot.Values.Where(e => ns is null || e.Id.Namespace == ns));
        return 1;
    }

    private static int Current(LuaCall call)
    {
        if (RegistryOf(call) is not { } registry) return call.Fail("registry not available", ErrorKind.Internal);
        lua_pushinteger(call.L, registry.CurrentVersion);
        return 1;
    }

    private static int Versions(LuaCall call)
    {
        if (RegistryOf(call) is not { } registry) return call.Fail("registry not available", ErrorKind.Internal);
        var versions = registry.Versions;
        lua_createtable(call.L, versions.Count, 0);
        for (int i = 0; i < versions.Count; i++)
        {
            lua_pushinteger(call.L, versions[i]);
            lua_rawseti(call.L, -2, i + 1);
        }
        return 1;
    }

    /// <summary>reg_apply(ops): the new version, or nil and the error; ops is a list of {kind, entry} or {kind, id}.</summary>
    private static int Apply(LuaCall call)
    {
        if (RegistryOf(call) is not { } registry) return call.Fail("registry not available", ErrorKind.Internal);
        try
        {
            if (LuaValues.ToNeutral(call.Shard, call.L, 1, call.Process.MaxPayloadBytes) is not PayloadList ops)
                return call.Fail("no changes to apply", ErrorKind.Invalid);
            var changes = ops.Select(Change).ToList();
            lua_pushinteger(call.L, registry.Apply(changes));
            return 1;
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    private static RegistryChange Change(object? op)
    {
        if (op is not PayloadMap map || map.GetValueOrDefault("kind") is not string kind)
            throw new WispException(ErrorKind.Invalid, "a change must be a table with a kind");
        return kind switch
        {
            "entry.create" => Entry(RegistryChangeKind.Create, map.GetValueOrDefault("entry")),
            "entry.update" => Entry(RegistryChangeKind.Update, map.GetValueOrDefault("entry")),
            "entry.delete" => new RegistryChange(RegistryChangeKind.Delete, Id(map.GetValueOrDefault("id"))),
            _ => throw new WispException(ErrorKind.Invalid, $"unknown change kind: {kind}"),
        };
    }

    private static RegistryChange Entry(RegistryChangeKind kind, object? value)
    {
        if (value is not PayloadMap entry) throw new WispException(ErrorKind.Invalid, "entry must be a table");
        var id = Id(entry.GetValueOrDefault("id"));
        if (entry.GetValueOrDefault("kind") is not string { Length: > 0 } entryKind)
            throw new WispException(ErrorKind.Invalid, $"entry {id}: kind is required");
        var meta = entry.GetValueOrDefault("meta") is PayloadMap m
            ? m.Entries.ToDictionary(pair => pair.Key.ToString()!, pair => pair.Value).AsReadOnly()
            : new Dictionary<string, object?>().AsReadOnly();
        return new RegistryChange(kind, id, new RegistryEntry(id, entryKind, meta, entry.GetValueOrDefault("data")));
    }

    private static EntryId Id(object? value) => value switch
    {
        string text when EntryId.TryParse(text, out var id) => id,
        PayloadMap { } parts when parts.GetValueOrDefault("ns") is string ns && parts.GetValueOrDefault("name") is string name
            && EntryId.TryParse($"{ns}:{name}", out var id) => id,
        _ => throw new WispException(ErrorKind.Invalid, $"invalid entry id: {value} (expected 'namespace:name')"),
    };

    private static int ApplyVersion(LuaCall call)
    {
        if (RegistryOf(call) is not { } registry) return call.Fail("registry not available", ErrorKind.Internal);
        if (ToInteger(call.L, 1) is not { } version) return call.Fail("version expected", ErrorKind.Invalid);
        try
        {
            registry.ApplyVersion(version);
            return call.True();
        }
        catch (WispException e)
        {
            return call.Fail(e);
        }
    }

    private static void PushList(LuaCall call, IEnumerable<RegistryEntry> entries)
    {
        lua_createtable(call.L, 0, 0);
        int i = 0;
        foreach (var entry in entries)
        {
            PushEntry(call, entry);
            lua_rawseti(call.L, -2, ++i);
        }
    }

    private static void PushEntry(LuaCall call, RegistryEntry entry) => LuaValues.Push(call.Shard, call.L, new PayloadMap
    {
        { "id", entry.Id.ToString() },
        { "kind", entry.Kind },
        { "meta", entry.Meta },
        { "data", entry.Data },
    });
}
