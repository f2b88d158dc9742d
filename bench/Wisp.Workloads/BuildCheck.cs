using System.Diagnostics;
using System.Reflection;

namespace Wisp.Workloads;

/// <summary>
/// Whether every measured assembly was compiled with the JIT optimiser on: a Debug build of any of them (its
/// <see cref="DebuggableAttribute"/> disables the optimiser) makes the figures meaningless, so the harness refuses to measure.
/// </summary>
public static class BuildCheck
{
    /// <summary>The harness, Wisp (core, hosting, Lua) and the peers, each once.</summary>
    public static IReadOnlyList<Assembly> Measured { get; } =
    [
        .. new[]
        {
            typeof(Program), typeof(Node), typeof(Hosting.WispRuntime), typeof(Lua.LuaRuntime),
            typeof(Akka.Actor.ActorSystem), typeof(Proto.ActorSystem),
        }.Select(t => t.Assembly).Distinct(),
    ];

    public static bool IsOptimised(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    public static string Names(IEnumerable<Assembly> assemblies) => string.Join(", ", assemblies.Select(a => a.GetName().Name));

    /// <summary>The measured assemblies built without optimisation (none in a Release build).</summary>
    public static IReadOnlyList<Assembly> Unoptimised() => [.. Measured.Where(a => !IsOptimised(a))];
}
