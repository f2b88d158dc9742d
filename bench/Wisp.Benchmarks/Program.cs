using BenchmarkDotNet.Running;

namespace Wisp.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's own command line: e.g. <c>--filter '*' --job short</c>, <c>--list flat</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
