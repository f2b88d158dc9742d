namespace Wisp.Tests;

/// <summary>
/// The size of the stress scenarios: <c>WISP_STRESS_SCALE</c> (default 1, the CI size) multiplies their counts, and
/// the node's deadline with them, for the dedicated runs that docs/reliability.md records.
/// </summary>
internal static class StressScale
{
    public static int Factor => int.TryParse(Environment.GetEnvironmentVariable("WISP_STRESS_SCALE"), out var f) && f > 0 ? f : 1;
}
