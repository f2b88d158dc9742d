namespace Wisp.Hosting.Entries;

/// <summary><c>terminal.host</c>: a host that runs processes attached to the console.</summary>
public sealed record TerminalHostEntry(
    EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location, Lifecycle Lifecycle, bool HideLogs)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "terminal.host";
}
