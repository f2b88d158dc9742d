using Wisp.Hosting;
using Wisp.Hosting.Entries;
using Wisp.Tests.Entries;

namespace Wisp.Tests;

public class LockFileTests
{
    [Fact]
    public void Reads_directories_relative_to_the_lock_file()
    {
        using var dir = new TempFolder();
        var path = dir.Write("wisp.lock", "directories:\n  src: ./src\n  modules: .wisp\n");

        var lockFile = LockFile.Read(path);

        Assert.Equal(Path.Combine(dir.Path, "src"), lockFile.SourceDirectory);
        Assert.Equal(Path.Combine(dir.Path, ".wisp"), lockFile.ModulesDirectory);
    }

    [Fact]
    public void Ignores_the_legacy_dependency_list()
    {
        using var dir = new TempFolder();
        var path = dir.Write("wippy.lock", """
            directories:
              modules: .wippy
              src: ./src
            modules:
              - name: wippy/llm
                version: v0.1.0
            """);

        Assert.Equal(Path.Combine(dir.Path, ".wippy"), LockFile.Read(path).ModulesDirectory);
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, LockFile.DefaultFileName);
        var written = new LockFile(Path.Combine(dir.Path, "app", "src"), Path.Combine(dir.Path, ".wisp"));

        written.Write(path);

        Assert.Equal(written, LockFile.Read(path));
        Assert.DoesNotContain(dir.Path, File.ReadAllText(path));   // stored relative, so the project can move
    }

    [Fact]
    public void Find_prefers_wisp_lock_over_wippy_lock()
    {
        using var dir = new TempFolder();
        Assert.Null(LockFile.Find(dir.Path));
        var legacy = dir.Write(LockFile.LegacyFileName, "directories: {src: src, modules: m}\n");
        Assert.Equal(legacy, LockFile.Find(dir.Path));
        var current = dir.Write(LockFile.DefaultFileName, "directories: {src: src, modules: m}\n");
        Assert.Equal(current, LockFile.Find(dir.Path));
    }

    [Theory]
    [InlineData("directories:\n  src: ./src\n", 2, 3, "directories.modules")]
    [InlineData("directories:\n  src: ./src\n  modules: .wisp\n  sources: x\n", 4, 3, "directories.sources")]
    [InlineData("other: 1\n", 1, 1, "directories")]
    [InlineData("directories: ./src\n", 1, 14, "directories")]
    [InlineData("directories:\n  src: [a\n", 3, 1, null)]
    public void Reports_errors_with_file_line_and_key(string text, int line, int column, string? key)
    {
        using var dir = new TempFolder();
        var path = dir.Write("wisp.lock", text);

        var error = Assert.Throws<EntryLoadException>(() => LockFile.Read(path));

        Assert.Equal(path, error.File);
        Assert.Equal(key, error.Key);
        if (key is not null) Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith($"{path}:{error.Line}:{error.Column}: ", error.Message);
    }
}
