using System.Diagnostics;

namespace Wisp;

/// <summary>
/// The names Wisp publishes its telemetry under, for a listener to subscribe to (OpenTelemetry's
/// <c>AddMeter(WispTelemetry.MeterName)</c> and <c>AddSource(WispTelemetry.SourceName)</c>, or
/// <c>dotnet-counters monitor --counters Wisp</c>). Each node has its own meter (<see cref="NodeMetrics"/>); the
/// activity source is shared by the nodes of an OS process, as .NET's sources are, and holds no state of Wisp's.
/// </summary>
public static class WispTelemetry
{
    public const string MeterName = "Wisp";
    public const string SourceName = "Wisp";

    /// <summary>The version the meter and the source carry: Wisp.Core's assembly version.</summary>
    public static string Version { get; } = typeof(WispTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>
    /// Where message flow is traced (see MessageTracing.cs): a send and the slice that takes the message are
    /// activities only while a listener samples this source.
    /// </summary>
    internal static ActivitySource Source { get; } = new(SourceName, Version);
}
