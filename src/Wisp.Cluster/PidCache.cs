using System.Buffers;
using MessagePack;

namespace Wisp.Cluster;

/// <summary>
/// The PIDs an endpoint has read lately, by their encoded bytes: a stream of envelopes names the same targets and
/// senders again and again, and parsing a PID's text makes two strings. Used by one endpoint (one thread at a time);
/// bounded: it starts again empty when full.
/// </summary>
internal sealed class PidCache
{
    private const int Capacity = 4096;
    private readonly Dictionary<int, (byte[] Key, Pid Pid)> _entries = [];

    /// <summary>Reads the PID extension at the reader's position.</summary>
    public Pid Read(ref MessagePackReader reader)
    {
        long at = reader.Consumed;
        if (reader.NextMessagePackType != MessagePackType.Extension)
            throw new WispException(ErrorKind.Invalid, $"payload: a PID expected at byte {at}");
        var header = reader.ReadExtensionFormatHeader();
        var raw = reader.ReadRaw(header.Length);
        ReadOnlySpan<byte> data = raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray();
        var hash = new HashCode();
        hash.Add(header.TypeCode);
        hash.AddBytes(data);
        int key = hash.ToHashCode();
        if (_entries.TryGetValue(key, out var entry) && data.SequenceEqual(entry.Key)) return entry.Pid;
        var pid = PayloadEncoding.ParsePid(header.TypeCode, data, at);
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[key] = (data.ToArray(), pid);
        return pid;
    }
}
