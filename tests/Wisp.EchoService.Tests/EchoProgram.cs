namespace Wisp.EchoService.Tests;

/// <summary>Where the built echo service lives: its dll, with wisp.lock and src/_index.yaml beside it.</summary>
public static class EchoProgram
{
    public static string DllPath => typeof(global::EchoService.Relay).Assembly.Location;
    public static string Directory => Path.GetDirectoryName(DllPath)!;
    public static string LockPath => Path.Combine(Directory, "wisp.lock");
    public static string SourceDirectory => Path.Combine(Directory, "src");
    public static string IndexPath => Path.Combine(SourceDirectory, "_index.yaml");

    /// <summary>The shipped _index.yaml, with "\n" line endings.</summary>
    public static string IndexText => File.ReadAllText(IndexPath).Replace("\r\n", "\n");

    /// <summary>The shipped _index.yaml with <paramref name="oldText"/> replaced, written to <paramref name="folder"/>/src.</summary>
    public static string WriteModifiedIndex(TempFolder folder, string oldText, string newText)
    {
        var text = IndexText;
        Assert.True(text.Contains(oldText, StringComparison.Ordinal), $"the shipped _index.yaml no longer contains:\n{oldText}");
        folder.Write(Path.Combine("src", "_index.yaml"), text.Replace(oldText, newText, StringComparison.Ordinal));
        return Path.Combine(folder.Path, "src");
    }
}
