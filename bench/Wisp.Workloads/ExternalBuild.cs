using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Wisp.Workloads;

/// <summary>
/// Builds a peer's sources once per change: the output folder under the temporary directory is named after a hash
/// of the sources and of the tools, so the harness's children (and later runs) reuse what the first one built.
/// </summary>
public static class ExternalBuild
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>bench/peers/<paramref name="folder"/>, found above the harness's binaries.</summary>
    public static string Sources(string folder)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "peers", folder);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"peers/{folder} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The executable <paramref name="tool"/> as the shell would find it on PATH, or null.</summary>
    public static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(path => File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0));

    /// <summary>The folder holding the build of <paramref name="sources"/>, built now if no build of these sources exists.</summary>
    public static string Ensure(string name, string sources, string[] patterns, string[] tools, Func<string, string, ProcessStartInfo> command)
    {
        var files = patterns.SelectMany(p => Directory.GetFiles(sources, p)).Order(StringComparer.Ordinal).ToArray();
        string output = Path.Combine(Path.GetTempPath(), "wisp-peers", $"{name}-{Hash(files, tools)}");
        if (Directory.Exists(output)) return output;

        string staging = $"{output}.{Environment.ProcessId}";
        Directory.CreateDirectory(staging);
        var psi = command(sources, staging);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var build = Process.Start(psi)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(BuildTimeout))
        {
            build.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name}: the build took over {BuildTimeout.TotalMinutes:F0} min");
        }
        if (build.ExitCode != 0)
        {
            Directory.Delete(staging, recursive: true);
            throw new InvalidOperationException($"{name}: build failed ({psi.FileName} exit {build.ExitCode}): {(stderr.Result + stdout.Result).Trim()}");
        }
        try
        {
            Directory.Move(staging, output);
        }
        catch (IOException) when (Directory.Exists(output))
        {
            Directory.Delete(staging, recursive: true);   // built meanwhile by another process
        }
        return output;
    }

    /// <summary>The sources' names and contents, and each tool's resolved path and time, so a new toolchain builds again.</summary>
    private static string Hash(string[] files, string[] tools)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
        }
        foreach (var path in tools.Select(FindOnPath).OfType<string>())
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) ?? new FileInfo(path);
            sha.AppendData(Encoding.UTF8.GetBytes($"{target.FullName} {target.LastWriteTimeUtc:O}\n"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
