using Wisp.Hosting.Entries;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Wisp.Hosting;

/// <summary>
/// The project's lock file, <c>wisp.lock</c> (or the seed's <c>wippy.lock</c>): where the entry sources and
/// the installed modules live. Format: <c>directories: {src: ./src, modules: .wisp}</c>, both required, paths
/// relative to the lock file's folder; the properties hold them resolved to absolute paths. Other top-level
/// keys (the seed's dependency list) are not Wisp's concern and are ignored; unknown keys under
/// <c>directories</c> are errors, to catch typos. Errors are <see cref="EntryLoadException"/>s.
/// </summary>
public sealed record LockFile(string SourceDirectory, string ModulesDirectory)
{
    public const string DefaultFileName = "wisp.lock";
    public const string LegacyFileName = "wippy.lock";

    private static readonly string[] DirectoryKeys = ["src", "modules"];

    /// <summary>The lock file in <paramref name="directory"/>: <c>wisp.lock</c>, else <c>wippy.lock</c>, else null.</summary>
    public static string? Find(string directory) =>
        new[] { DefaultFileName, LegacyFileName }.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    public static LockFile Read(string path)
    {
        var scope = new YamlScope(path, Entry: null);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new EntryLoadException(new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column), null, null,
                $"invalid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0)
            throw new EntryLoadException(new SourceLocation(path, 1, 1), null, "directories", "the lock file is empty (expected 'directories')");

        var root = YamlMap.From(stream.Documents[0].RootNode, scope, path: "");
        var directories = root.Map("directories") ?? throw root.Error(root.Node, "directories", "missing required key 'directories'");
        directories.RejectUnknownKeys(DirectoryKeys, "'directories'");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return new LockFile(
            Path.GetFullPath(Path.Combine(folder, directories.RequiredString("src"))),
            Path.GetFullPath(Path.Combine(folder, directories.RequiredString("modules"))));
    }

    /// <summary>Writes the directories relative to the lock file's folder, replacing any existing file.</summary>
    public void Write(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var document = new Dictionary<string, Dictionary<string, string>>
        {
            ["directories"] = new()
            {
                ["src"] = Path.GetRelativePath(folder, SourceDirectory),
                ["modules"] = Path.GetRelativePath(folder, ModulesDirectory),
            },
        };
        File.WriteAllText(path, new SerializerBuilder().Build().Serialize(document));
    }
}
