using YamlDotNet.RepresentationModel;

namespace Wisp.Hosting.Entries;

/// <summary>The file and entry being read, so that every error can say where it is.</summary>
internal sealed record YamlScope(string File, string? Entry)
{
    public SourceLocation Locate(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public EntryLoadException Error(YamlNode at, string? key, string reason) => new(Locate(at), Entry, key, reason);
}
