using System.Globalization;

namespace Wisp;

/// <summary>
/// A process identifier: <c>{[node@]host|0xHHHHH}</c>. The id is unique in its node's life, shared by every
/// host (handed out in blocks per core: <see cref="IdBlocks"/>), and is printed with at least five hex digits
/// (then 6, 8 and 16 as it grows), as the seed's runtime does. The node is empty on a standalone node and is then left out of the string.
/// <para>
/// A PID also carries the <see cref="Creation"/> of its node, the incarnation it was made in (Erlang's
/// creation): ids start again at 1 when a node restarts, so a PID of an earlier life of a node must never
/// reach the new process that reused its id. The creation is not part of the text (as in Erlang), so a PID
/// parsed from text has creation 0, which means "the node's current incarnation". Equality ignores it: no two
/// live processes share node, host and id, and everything a node keeps by the PIDs of a lost incarnation is
/// dropped when that incarnation is reported gone.
/// </para>
/// <para>
/// Node, host and creation live in an <see cref="Origin"/> the PIDs of one host share, so a PID is a reference and an id:
/// 16 bytes in every message, event and argument that carries one.
/// </para>
/// </summary>
public readonly struct Pid : IEquatable<Pid>, ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>The characters a PID's text uses as delimiters, so never part of a node or host name.</summary>
    private static readonly System.Buffers.SearchValues<char> Delimiters = System.Buffers.SearchValues.Create("@|{}");

    /// <summary>A PID from its parts; an Invalid error when the node or host holds a delimiter (<c>@ | { }</c>), whose text would not read back.</summary>
    public Pid(string node, string host, ulong id, uint creation = 0)
        : this(creation, CheckPart(node, "node"), CheckPart(host, "host"), id)
    {
    }

    /// <summary>Parts the runtime has checked already (parsed text, a decoded PID): no scan of them again.</summary>
    private Pid(uint creation, string node, string host, ulong id) : this(new Origin(node, host, creation), id)
    {
    }

    private Pid(Origin origin, ulong id)
    {
        _origin = origin;
        Id = id;
    }

    internal static Pid Trusted(string node, string host, ulong id, uint creation) => new(creation, node, host, id);

    /// <summary>A PID of a host's process: the host's origin, shared, so that making it allocates nothing.</summary>
    internal static Pid Trusted(Origin origin, ulong id) => new(origin, id);

    /// <summary>Where a PID's process lives: its node, host and the node's incarnation, checked parts.</summary>
    internal sealed class Origin(string node, string host, uint creation)
    {
        public readonly string Node = node;
        public readonly string Host = host;
        public readonly uint Creation = creation;
    }

    private readonly Origin? _origin;   // null for None

    /// <summary>Made with this very origin (a host's own PIDs): node, host and creation match without comparing text.</summary>
    internal bool HasOrigin(Origin origin) => ReferenceEquals(_origin, origin);

    /// <summary>A node or host name fit for a PID; an Invalid error naming the part otherwise (<see cref="Pid(string, string, ulong, uint)"/>).</summary>
    internal static string CheckPart(string? part, string what) =>
        part is null ? ""
        : part.AsSpan().IndexOfAny(Delimiters) is var at and >= 0
            ? throw new WispException(ErrorKind.Invalid, $"pid: the {what} '{part}' holds '{part[at]}' (a PID's node and host cannot hold @ | {{ }})")
            : part;

    /// <summary>The empty PID, <c>{|}</c>: the sender of messages that come from no process.</summary>
    public static Pid None => default;

    public string Node => _origin?.Node ?? "";
    public string Host => _origin?.Host ?? "";
    public ulong Id { get; }

    /// <summary>The incarnation of the node that made this PID; 0 when unknown (parsed from text, or a standalone node).</summary>
    public uint Creation => _origin?.Creation ?? 0;

    public bool IsNone => Id == 0 && Host.Length == 0;

    public static Pid Parse(string text) =>
        TryParse(text, out var pid) ? pid : throw new WispException(ErrorKind.Invalid, $"invalid pid format: '{text}'");

    public static bool TryParse(string? text, out Pid pid)
    {
        pid = default;
        if (text is null || text.Length < 3 || text[0] != '{' || text[^1] != '}') return false;
        var body = text.AsSpan(1, text.Length - 2);
        int bar = body.IndexOf('|');
        if (bar < 0) return false;
        var owner = body[..bar];
        var idText = body[(bar + 1)..];
        int legacy = idText.LastIndexOf('|');          // legacy {host|ns:name|id}: only the last part is the id
        if (legacy >= 0) idText = idText[(legacy + 1)..];
        if (owner.Length == 0 && idText.Length == 0) return true;   // {|}
        int at = owner.IndexOf('@');
        var node = at >= 0 ? owner[..at] : default;
        var host = at >= 0 ? owner[(at + 1)..] : owner;
        if (host.Length == 0 || (at >= 0 && node.Length == 0) || host.ContainsAny(Delimiters)) return false;
        if (!idText.StartsWith("0x") || idText.Length < 3) return false;
        if (!ulong.TryParse(idText[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) || id == 0)
            return false;
        pid = Trusted(node.ToString(), host.ToString(), id, 0);
        return true;
    }

    public override string ToString() => IsNone ? "{|}"
        : Node.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"{{{Node}@{Host}|0x{new Hex(Id)}}}")
        : string.Create(CultureInfo.InvariantCulture, $"{{{Host}|0x{new Hex(Id)}}}");

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        IsNone ? destination.TryWrite(CultureInfo.InvariantCulture, $"{{|}}", out charsWritten)
        : Node.Length > 0 ? destination.TryWrite(CultureInfo.InvariantCulture, $"{{{Node}@{Host}|0x{new Hex(Id)}}}", out charsWritten)
        : destination.TryWrite(CultureInfo.InvariantCulture, $"{{{Host}|0x{new Hex(Id)}}}", out charsWritten);

    /// <summary>The PID's text in UTF-8, written without making a string.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        IsNone ? System.Text.Unicode.Utf8.TryWrite(utf8Destination, CultureInfo.InvariantCulture, $"{{|}}", out bytesWritten)
        : Node.Length > 0 ? System.Text.Unicode.Utf8.TryWrite(utf8Destination, CultureInfo.InvariantCulture, $"{{{Node}@{Host}|0x{new Hex(Id)}}}", out bytesWritten)
        : System.Text.Unicode.Utf8.TryWrite(utf8Destination, CultureInfo.InvariantCulture, $"{{{Host}|0x{new Hex(Id)}}}", out bytesWritten);

    /// <summary>The id in lower-case hex with at least five digits, then 6, 8 or 16.</summary>
    private readonly struct Hex(ulong id) : ISpanFormattable, IUtf8SpanFormattable
    {
        private string Format => id switch
        {
            <= 0xfffff => "x5",
            <= 0xffffff => "x6",
            <= 0xffffffff => "x8",
            _ => "x16",
        };

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            id.TryFormat(destination, out charsWritten, Format, CultureInfo.InvariantCulture);

        public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            id.TryFormat(utf8Destination, out bytesWritten, Format, CultureInfo.InvariantCulture);

        public string ToString(string? format, IFormatProvider? formatProvider) => id.ToString(Format, CultureInfo.InvariantCulture);
    }

    public bool Equals(Pid other) =>
        Id == other.Id && (ReferenceEquals(_origin, other._origin) || (Host == other.Host && Node == other.Node));
    public override bool Equals(object? obj) => obj is Pid other && Equals(other);
    // The id alone: unique on a node, so only PIDs of different nodes with the same id share a hash (a chain as long as
    // the node count), and no string is hashed per lookup.
    public override int GetHashCode() => Id.GetHashCode();
    public static bool operator ==(Pid left, Pid right) => left.Equals(right);
    public static bool operator !=(Pid left, Pid right) => !left.Equals(right);
}
