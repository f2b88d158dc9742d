using System.Text;

namespace Wisp.Workloads;

/// <summary>The peers outside .NET: which are installed (the others are skipped, not failed) and what the report's header says of them.</summary>
public static class ExternalPeers
{
    private static readonly ExternalBench[] All = [new GoBench(), new ErlangBench()];

    public static IEnumerable<RuntimeBench> Installed => All.Where(p => p.Installed);

    /// <summary>A peer the harness knows but cannot run here: asked for, it is skipped with the header's note.</summary>
    public static bool IsMissing(string name) => All.Any(p => p.Name == name && !p.Installed);

    /// <summary>The header's lines: the runtime of each external peer in the run (building it if needed), and the peers skipped.</summary>
    public static string Report(IEnumerable<RuntimeBench> runtimes)
    {
        var sb = new StringBuilder();
        var described = runtimes.OfType<ExternalBench>().Select(peer =>
        {
            try
            {
                return $"{peer.Name}: {peer.Describe(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult()}";
            }
            catch (Exception e)
            {
                return $"{peer.Name}: FAILED to build or start: {e.Message}";
            }
        }).ToList();
        if (described.Count > 0) sb.AppendLine($"external:  {string.Join("; ", described)}");
        var missing = All.Where(p => !p.Installed).Select(p => p.MissingNote).ToList();
        if (missing.Count > 0) sb.AppendLine($"skipped:   {string.Join("; ", missing)}");
        return sb.ToString();
    }
}
