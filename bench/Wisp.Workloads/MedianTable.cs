using System.Globalization;
using System.Text;

namespace Wisp.Workloads;

/// <summary>A figure a workload reports: its key in a launch's results, its label, which way is better, its unit.</summary>
public sealed record Metric(string Key, string Label, bool HigherIsBetter, string Unit, bool Headline = true);

/// <summary>
/// The report's table, shared by both harnesses (this one and bench/Wisp.Remote, which links this file): a row per
/// workload and headline figure, a cell per runtime with the median of its launches and their range, and Wisp's
/// ratio to each peer.
/// </summary>
public static class MedianTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="runtimes">The runtimes' ids, in column order; "wisp" is the one the ratios compare to the others.</param>
    /// <param name="name">A runtime's name in the header.</param>
    /// <param name="workloads">Each workload's id and figures, in row order.</param>
    /// <param name="values">The figure's values in the launches of a runtime and workload that reported it.</param>
    /// <param name="failures">How many launches of a runtime and workload failed.</param>
    public static string Markdown(IReadOnlyList<string> runtimes, Func<string, string> name,
        IEnumerable<(string Id, IEnumerable<Metric> Metrics)> workloads,
        Func<string, string, string, List<double>> values, Func<string, string, int> failures)
    {
        var peers = runtimes.Where(r => r != "wisp").ToList();
        bool ratios = runtimes.Contains("wisp") && peers.Count > 0;
        var sb = new StringBuilder("| Workload | Figure |");
        foreach (var rt in runtimes) sb.Append(' ').Append(name(rt)).Append(" |");
        if (ratios) foreach (var p in peers) sb.Append($" Wisp vs {name(p)} |");
        sb.AppendLine().Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---|", runtimes.Count + (ratios ? peers.Count : 0)))).AppendLine();
        foreach (var (id, metrics) in workloads)
            foreach (var metric in metrics.Where(m => m.Headline))
            {
                sb.Append($"| {id} | {metric.Label} {(metric.HigherIsBetter ? "↑" : "↓")} |");
                var medians = new Dictionary<string, double>();
                foreach (var rt in runtimes)
                {
                    var measured = values(rt, id, metric.Key);
                    int failed = failures(rt, id);
                    if (measured.Count == 0)
                    {
                        sb.Append(failed > 0 ? " failed |" : " – |");
                        continue;
                    }
                    double median = Stats.Median(measured);
                    medians[rt] = median;
                    string cell = Format(median, metric);
                    if (measured.Count > 1) cell += $" ({Format(measured.Min(), metric)}–{Format(measured.Max(), metric)})";
                    if (failed > 0) cell += $" [{failed} failed]";
                    sb.Append(' ').Append(cell).Append(" |");
                }
                if (ratios) foreach (var p in peers) sb.Append(' ').Append(Ratio(medians, p, metric)).Append(" |");
                sb.AppendLine();
            }
        return sb.ToString();
    }

    /// <summary>A value with its unit, scaled for reading (1.07M/s, 9.98 ms, 634 B).</summary>
    public static string Format(double v, Metric m)
    {
        if (double.IsNaN(v)) return "n/a";
        string number = m.Unit switch
        {
            "/s" when v >= 1e6 => (v / 1e6).ToString("F2", Inv) + "M",
            "/s" when v >= 1e3 => (v / 1e3).ToString("F1", Inv) + "k",
            "µs" when v >= 1000 => (v / 1000).ToString("F2", Inv) + " ms",
            "s" => v.ToString("F2", Inv),
            "" => v.ToString("N0", Inv),
            _ => v.ToString(v >= 100 ? "N0" : "F1", Inv),
        };
        return m.Unit switch
        {
            "/s" => number + "/s",
            "µs" when !number.EndsWith("ms", StringComparison.Ordinal) => number + " µs",
            "" or "µs" => number,
            _ => number + " " + m.Unit,
        };
    }

    /// <summary>How many times better Wisp's median is than the peer's; none for counts (a unitless figure).</summary>
    private static string Ratio(Dictionary<string, double> medians, string peer, Metric metric)
    {
        if (!medians.TryGetValue("wisp", out var x) || !medians.TryGetValue(peer, out var y) || metric.Unit == "") return "";
        if (x <= 0 || y <= 0 || double.IsNaN(x) || double.IsNaN(y)) return "";
        double r = metric.HigherIsBetter ? x / y : y / x;
        return $"×{r.ToString(r >= 10 ? "F0" : "F2", Inv)}";
    }
}
