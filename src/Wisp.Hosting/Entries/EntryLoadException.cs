namespace Wisp.Hosting.Entries;

/// <summary>
/// A configuration file that cannot be loaded, with where and why. <see cref="Key"/> is the dotted path of
/// the offending key within its entry (<c>lifecycle.restart.max_attempts</c>, <c>input[2]</c>), or within the
/// file for file-level keys (<c>namespace</c>), or null when no key is at fault (YAML syntax).
/// <see cref="Entry"/> names the entry: its full id once known, else its place in the file (<c>entries[3]</c>,
/// 0-based). The message reads <c>file:line:col: key 'k' of entry 'e': reason</c>, leaving out the parts
/// that are null.
/// </summary>
public sealed class EntryLoadException : Exception
{
    public EntryLoadException(SourceLocation location, string? entry, string? key, string reason, Exception? inner = null)
        : base(Format(location, entry, key, reason), inner)
    {
        Location = location;
        Entry = entry;
        Key = key;
        Reason = reason;
    }

    public SourceLocation Location { get; }
    public string File => Location.File;
    public int Line => Location.Line;
    public int Column => Location.Column;
    public string? Entry { get; }
    public string? Key { get; }

    /// <summary>The message without the location, key and entry.</summary>
    public string Reason { get; }

    private static string Format(SourceLocation location, string? entry, string? key, string reason) =>
        (key, entry) switch
        {
            (null, null) => $"{location}: {reason}",
            (null, _) => $"{location}: entry '{entry}': {reason}",
            (_, null) => $"{location}: key '{key}': {reason}",
            _ => $"{location}: key '{key}' of entry '{entry}': {reason}",
        };
}
