using System.Text;
using System.Text.Json;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// The inspection endpoint's protocol: JSON lines, one request and one answer at a time on a connection. The only
/// request is <c>{"get":"snapshot"}</c>, answered <c>{"snapshot":{…}}</c> (<see cref="NodeSnapshot"/>); any other line
/// (not JSON, another request, an empty line, a line longer than <see cref="MaxRequestBytes"/>) is answered
/// <c>{"error":"…"}</c> and the connection goes on.
/// </summary>
public static class InspectionProtocol
{
    /// <summary>The longest request line read (a request is a few bytes; more is not a client of this protocol).</summary>
    public const int MaxRequestBytes = 4096;

    /// <summary>The request for a snapshot, as a client sends it (without its newline).</summary>
    public const string SnapshotRequest = """{"get":"snapshot"}""";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The answer to one request line (without its newline).</summary>
    public static string Answer(ReadOnlySpan<byte> request, Func<NodeSnapshot> snapshot)
    {
        string? get;
        try
        {
            get = JsonSerializer.Deserialize<Request>(request, Json)?.Get;
        }
        catch (JsonException)
        {
            return Error("bad request: not a JSON object");
        }
        return get == "snapshot"
            ? JsonSerializer.Serialize(new Response(snapshot(), null), Json)
            : Error($"bad request: expected {SnapshotRequest}");
    }

    /// <summary>Answers the requests of one connection until the client closes it or <paramref name="stop"/>.</summary>
    public static async Task ServeAsync(Stream connection, Func<NodeSnapshot> snapshot, CancellationToken stop)
    {
        var buffer = new byte[MaxRequestBytes];
        int held = 0;
        bool tooLong = false;   // the line being read has overflowed the buffer: its bytes are dropped up to its newline
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', 0, held);
            if (newline < 0)
            {
                if (held == buffer.Length)
                {
                    tooLong = true;
                    held = 0;
                }
                int read = await connection.ReadAsync(buffer.AsMemory(held), stop);
                if (read == 0) return;
                held += read;
                continue;
            }
            var line = buffer.AsSpan(0, newline).TrimEnd((byte)'\r');
            string answer = tooLong ? Error($"bad request: longer than {MaxRequestBytes} bytes")
                : line.IsEmpty ? Error("bad request: an empty line")
                : Answer(line, snapshot);
            tooLong = false;
            held -= newline + 1;
            buffer.AsSpan(newline + 1, held).CopyTo(buffer);
            await WriteLineAsync(connection, answer, stop);
        }
    }

    /// <summary>Reads an answer line: the snapshot, or an <see cref="InspectionException"/> with the endpoint's error.</summary>
    public static NodeSnapshot ReadAnswer(string line)
    {
        Response? response;
        try
        {
            response = JsonSerializer.Deserialize<Response>(line, Json);
        }
        catch (JsonException e)
        {
            throw new InspectionException($"the endpoint answered something else than this protocol: {e.Message}");
        }
        return response switch
        {
            { Snapshot: { } found } => found,
            { Error: { } error } => throw new InspectionException($"the endpoint refused the request: {error}"),
            _ => throw new InspectionException("the endpoint answered neither a snapshot nor an error"),
        };
    }

    private static string Error(string message) => JsonSerializer.Serialize(new Response(null, message), Json);

    private static async Task WriteLineAsync(Stream connection, string line, CancellationToken stop)
    {
        await connection.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), stop);
        await connection.FlushAsync(stop);
    }

    private sealed record Request(string? Get);

    private sealed record Response(NodeSnapshot? Snapshot, string? Error);
}
