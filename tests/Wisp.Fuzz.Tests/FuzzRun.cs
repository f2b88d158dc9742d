using CsCheck;

namespace Wisp.Fuzz;

/// <summary>
/// How much a fuzz pass samples: <c>WISP_FUZZ_ITERATIONS</c> inputs per property (a short pass by default, so that
/// <c>dotnet test</c> stays quick; set it high for a long run), from <c>WISP_FUZZ_SEED</c> when set (the seed CsCheck
/// prints with a failure, to replay it).
/// </summary>
internal static class FuzzRun
{
    public const long DefaultIterations = 2_000;

    public static long Iterations { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("WISP_FUZZ_ITERATIONS"), out long n) && n > 0 ? n : DefaultIterations;

    private static string? Seed => Environment.GetEnvironmentVariable("WISP_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;

    /// <summary>Checks <paramref name="property"/> on <see cref="Iterations"/> inputs; a failure is shrunk and reported with its seed.</summary>
    public static void Check<T>(Gen<T> inputs, Action<T> property, Func<T, string>? print = null, long? iterations = null) =>
        inputs.Sample(property, seed: Seed, iter: iterations ?? Iterations, print: print);
}
