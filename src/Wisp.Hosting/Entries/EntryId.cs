namespace Wisp.Hosting.Entries;

/// <summary>
/// The full id of an entry, <c>namespace:name</c>. A namespace is dot-separated segments of ASCII letters,
/// digits, <c>_</c> and <c>-</c>; a name is ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.
/// </summary>
public readonly record struct EntryId(string Namespace, string Name)
{
    public static EntryId Parse(string s) =>
        TryParse(s, out var id)
            ? id
            : throw new FormatException($"invalid entry id '{s}' (expected 'namespace:name')");

    public static bool TryParse(string s, out EntryId id)
    {
        id = default;
        int colon = s.IndexOf(':');
        if (colon < 0) return false;
        var ns = s[..colon];
        var name = s[(colon + 1)..];
        if (!IsValidNamespace(ns) || !IsValidName(name)) return false;
        id = new EntryId(ns, name);
        return true;
    }

    public static bool IsValidNamespace(string ns) =>
        ns.Length > 0 && ns.Split('.').All(segment => segment.Length > 0 && segment.All(IsWordChar));

    public static bool IsValidName(string name) => name.Length > 0 && name.All(c => c == '.' || IsWordChar(c));

    public override string ToString() => $"{Namespace}:{Name}";

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
