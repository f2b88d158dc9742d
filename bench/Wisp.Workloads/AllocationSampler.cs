using System.Diagnostics.Tracing;

namespace Wisp.Workloads;

/// <summary>
/// Where a measure's bytes go, by type (<c>--single RUNTIME WORKLOAD --allocations</c>): the runtime's GCAllocationTick
/// event fires about every 100 KB allocated and names the type of the object that crossed the mark, so the sum per type
/// is a sample of the allocation, not a count (a type under 100 KB in all may not show). The listener's own events cost
/// time and a little memory, so a sampled launch's other figures are not the workload's alone.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    // Initialised before the base constructor, which may already report the runtime's source to OnEventSourceCreated.
    private readonly Dictionary<string, long> _bytes = [];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource) EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.Payload is not { } payload) return;
        int type = e.PayloadNames!.IndexOf("TypeName"), amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0) return;
        lock (_bytes) _bytes[(string)payload[type]!] = _bytes.GetValueOrDefault((string)payload[type]!) + Convert.ToInt64(payload[amount]);
    }

    /// <summary>The <paramref name="count"/> types with the most sampled bytes, in MiB, largest first.</summary>
    public Dictionary<string, double> Top(int count)
    {
        lock (_bytes)
            return _bytes.OrderByDescending(kv => kv.Value).Take(count).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / 1048576.0, 2));
    }
}
