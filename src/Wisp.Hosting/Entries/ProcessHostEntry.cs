namespace Wisp.Hosting.Entries;

/// <summary>
/// <c>process.host</c>: a pool that runs processes. <see cref="Workers"/>, <see cref="MailboxLimit"/> and
/// <see cref="MemoryLimit"/> (bytes each Lua process may allocate) are null when not configured, leaving the
/// choice to the host.
/// </summary>
public sealed record ProcessHostEntry(
    EntryId Id, IReadOnlyDictionary<string, object?> Meta, SourceLocation Location, Lifecycle Lifecycle,
    int? Workers, int? MailboxLimit, long? MemoryLimit = null)
    : Entry(Id, KindName, Meta, Location)
{
    public const string KindName = "process.host";
}
