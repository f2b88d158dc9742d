using System.Diagnostics;

namespace Wisp.Workloads;

/// <summary>
/// The workloads in Go (bench/peers/go, standard library only): goroutines and channels, a deferred notification
/// for a monitored exit, a sync.Map for registered names. Built with <c>go build</c>, nothing fetched.
/// </summary>
public sealed class GoBench : ExternalBench
{
    private const string Program = "wispbench";

    public override string Name => "go";
    protected override string[] Tools => ["go"];
    protected override string Packages => "golang-go";
    protected override string Folder => "go";
    protected override string[] SourcePatterns => ["*.go", "go.mod"];

    protected override ProcessStartInfo BuildCommand(string sources, string output)
    {
        var psi = new ProcessStartInfo("go", ["build", "-o", Path.Combine(output, Program), "."]) { WorkingDirectory = sources };
        psi.Environment["GOPROXY"] = "off";       // standard library only: nothing to download
        psi.Environment["GOTOOLCHAIN"] = "local";
        return psi;
    }

    protected override ProcessStartInfo StartCommand(string output) => new(Path.Combine(output, Program));
}
