namespace Wisp;

/// <summary>
/// A payload kept in an encoded format rather than as a value of the neutral model: the bytes and the name of their
/// format, as the reference runtime names them (a Lua payload transcoded to JSON is <c>json/plain</c> and its text).
/// It crosses processes and nodes as it is, so the receiver sees the sender's format; it is decoded where a value
/// is wanted (Lua's <c>p:data()</c>, C#'s <see cref="PayloadCodec.Convert"/>). Immutable: its bytes are never
/// changed once it is built.
/// </summary>
public sealed class EncodedPayload
{
    public const string Json = "json/plain";
    public const string Yaml = "yaml/plain";
    public const string Text = "text/plain";
    public const string Bytes = "application/octet-stream";
    public const string MsgPack = "application/msgpack";

    public EncodedPayload(string format, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentNullException.ThrowIfNull(data);
        Format = format;
        Data = data;
    }

    public string Format { get; }

    public byte[] Data { get; }

    public override string ToString() => $"payload{{format={Format}}}";
}
