using Wisp.Hosting.Entries;

namespace Wisp.Hosting;

/// <summary>
/// The order services start in: the auto-start services and every service they require, in levels such
/// that each service's required services are in earlier levels (services of one level start together).
/// Hosts are always up before any service, so a dependency on a host needs no level. A cycle is an error.
/// </summary>
internal static class ServiceOrder
{
    public static List<List<ProcessServiceEntry>> Levels(EntrySet entries)
    {
        var depth = new Dictionary<EntryId, int>();
        foreach (var service in entries.OfType<ProcessServiceEntry>().Where(s => s.Lifecycle.AutoStart))
            Depth(service, entries, depth, []);
        return depth.GroupBy(kv => kv.Value).OrderBy(g => g.Key)
            .Select(g => g.Select(kv => (ProcessServiceEntry)entries.Find(kv.Key)!).ToList())
            .ToList();
    }

    private static int Depth(ProcessServiceEntry service, EntrySet entries, Dictionary<EntryId, int> depth, List<EntryId> path)
    {
        if (depth.TryGetValue(service.Id, out int known)) return known;
        if (path.Contains(service.Id))
            throw new EntryLoadException(service.Location, service.Id.ToString(), "lifecycle.requires",
                $"dependency cycle: {string.Join(" -> ", path.SkipWhile(id => id != service.Id).Append(service.Id))}");
        path.Add(service.Id);
        int level = 0;
        foreach (var required in service.Lifecycle.Requires)
            if (entries.TryGet<ProcessServiceEntry>(required, out var dependency))
                level = Math.Max(level, Depth(dependency, entries, depth, path) + 1);
        path.RemoveAt(path.Count - 1);
        depth[service.Id] = level;
        return level;
    }
}
