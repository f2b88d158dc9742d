using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// The seed's echo service as examples/echo-service-lua holds it (copied beside the tests), the wisp command that
/// runs it, and what its CLI prints: the seed's cli.lua writes an ESC character around each styled text.
/// </summary>
public static class SeedFolder
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "echo-service-lua");
    public static string SourceDirectory => Path.Combine(Directory, "src");

    /// <summary>The seed's four files, and their SHA-256 as the seed has them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["_index.yaml"] = "d4cc38e42341bc419b9010b97384a121da498fc7473f9fe96464fd1e4b8e8c8a",
        ["cli.lua"] = "a7ef492b95be691404d85c19074543902c4e671dee73f7def5ec61ab70074c07",
        ["relay.lua"] = "a45ba021f64b8f129c426c640291445233128360b2dfe6c04df48bab17f1125e",
        ["worker.lua"] = "7b2e6dfa3a525e478813b753b11991370985605a570e3291ebc6501b325a4a1d",
    };

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Copies the folder to <paramref name="into"/>, with <paramref name="replace"/> applied to one of its files.</summary>
    public static string CopyTo(TempFolder into, string? file = null, string oldText = "", string newText = "")
    {
        foreach (var name in Files.Keys)
        {
            var text = File.ReadAllText(Path.Combine(SourceDirectory, name));
            if (name == file)
            {
                Assert.True(text.Contains(oldText, StringComparison.Ordinal), $"the seed's {name} no longer contains:\n{oldText}");
                text = text.Replace(oldText, newText, StringComparison.Ordinal);
            }
            into.Write(Path.Combine("src", name), text);
        }
        File.Copy(Path.Combine(Directory, "wisp.lock"), Path.Combine(into.Path, "wisp.lock"));
        return into.Path;
    }

    private const string Esc = "\u001b";
    public const string Banner = Esc + "Echo Client" + Esc + "\n" + Esc + "Type messages to echo. Ctrl+C to exit.\n" + Esc + "\n";
    public const string Prompt = Esc + "> " + Esc;
    public const string Timeout = Esc + "  timeout" + Esc + "\n";
    public const string NotAvailable = Esc + "  error: relay not available" + Esc + "\n";
    public const string Goodbye = "\nGoodbye!\n";
    public static string Reply(string line) => $"{Esc}  {line.ToUpperInvariant()}{Esc}\n";
    public static readonly Regex WorkerLine = new(Esc + @"  from worker: (\{app:processes\|0x[0-9a-f]{5,}\})" + Esc + "\n");
}

/// <summary>Where the wisp command is: its dll beside the tests (a project reference).</summary>
public static class WispCommand
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "wisp.dll");
}
