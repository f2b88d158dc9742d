namespace Wisp.Testing;

/// <summary>A fresh folder under the system temp folder, deleted on dispose (best effort: a child may still hold a file).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wisp-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes the lock file <c>wisp init</c> writes (sources in src/), so the wisp command runs the folder.</summary>
    public void WriteLock() => Write("wisp.lock", "directories:\n  src: src\n  modules: .wisp\n");

    /// <summary>Writes <paramref name="text"/> to a file under the folder (creating subfolders) and returns its full path.</summary>
    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a child process may still hold a file for a moment
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
