using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wisp.Hosting.Inspection;

/// <summary>
/// The inspection endpoint's protocol: JSON lines, one request and one answer at a time on a connection.
/// <c>{"get":"snapshot"}</c> is answered <c>{"snapshot":{…}}</c> (<see cref="NodeSnapshot"/>), <c>{"get":"cluster"}</c>
/// <c>{"cluster":{"nodes":[…],"missing":[…]}}</c> (<see cref="ClusterView"/>); any other line
/// (not JSON, another request, an empty line, a line longer than <see cref="MaxRequestBytes"/>) is answered
/// <c>{"error":"…"}</c> and the connection goes on.
/// </summary>
public static class InspectionProtocol
{
    /// <summary>The longest request line read (a request is a few bytes; more is not a client of this protocol).</summary>
    public const int MaxRequestBytes = 4096;

    /// <summary>The request for a snapshot, as a client sends it (without its newline).</summary>
    public const string SnapshotRequest = """{"get":"snapshot"}""";

    /// <summary>The request for every node of the cluster (<see cref="ClusterView"/>; a standalone node is alone in it).</summary>
    public const string ClusterRequest = """{"get":"cluster"}""";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>What the endpoint answers from: this node now, and the cluster's nodes gathered.</summary>
    public sealed record Source(Func<NodeSnapshot> Snapshot, Func<Task<ClusterView>> Cluster);

    /// <summary>The answer to one request line (without its newline).</summary>
    public static async Task<string> AnswerAsync(byte[] request, Source source)
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
        try
        {
            return get switch
            {
                "snapshot" => JsonSerializer.Serialize(new Response(source.Snapshot(), null, null), Json),
                "cluster" => JsonSerializer.Serialize(new Response(null, await source.Cluster(), null), Json),
                _ => Error($"bad request: expected {SnapshotRequest} or {ClusterRequest}"),
            };
        }
        catch (WispException e)
        {
            return Error($"the node cannot answer now: {e.Message}");   // it is stopping
        }
    }

    /// <summary>Answers the requests of one connection until the client closes it or <paramref name="stop"/>.</summary>
    public static async Task ServeAsync(Stream connection, Source source, CancellationToken stop)
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
                : await AnswerAsync(line.ToArray(), source);
            tooLong = false;
            held -= newline + 1;
            buffer.AsSpan(newline + 1, held).CopyTo(buffer);
            await WriteLineAsync(connection, answer, stop);
        }
    }

    /// <summary>Reads the answer to <see cref="SnapshotRequest"/>; the endpoint's error is an <see cref="InspectionException"/>.</summary>
    public static NodeSnapshot ReadSnapshot(string line) =>
        Read(line).Snapshot ?? throw new InspectionException("the endpoint answered no snapshot");

    /// <summary>Reads the answer to <see cref="ClusterRequest"/>; the endpoint's error is an <see cref="InspectionException"/>.</summary>
    public static ClusterView ReadCluster(string line) =>
        Read(line).Cluster ?? throw new InspectionException("the endpoint answered no cluster view");

    private static Response Read(string line)
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
            { Error: { } error } => throw new InspectionException($"the endpoint refused the request: {error}"),
            null => throw new InspectionException("the endpoint answered null"),
            _ => response,
        };
    }

    private static string Error(string message) => JsonSerializer.Serialize(new Response(null, null, message), Json);

    private static async Task WriteLineAsync(Stream connection, string line, CancellationToken stop)
    {
        await connection.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), stop);
        await connection.FlushAsync(stop);
    }

    private sealed record Request(string? Get);

    private sealed record Response(NodeSnapshot? Snapshot, ClusterView? Cluster, string? Error);
}
