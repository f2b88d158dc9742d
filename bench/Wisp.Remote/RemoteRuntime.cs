using Wisp.Workloads;
namespace Wisp.Remote;

/// <summary>
/// One runtime across two OS processes: node B (<see cref="Serve"/>) hosts a sink that counts messages and answers a
/// marker with its count, and an echo that sends each request's payload back to its sender; node A
/// (<see cref="Connect"/>) reaches both by their names, resolved once. Each runtime is written the way its own
/// documentation recommends; every one carries the same payload (<see cref="Payload.Bytes"/>).
/// </summary>
public abstract class RemoteRuntime
{
    public abstract string Name { get; }

    /// <summary>Starts node B listening on 127.0.0.1:<paramref name="port"/>; completes once the sink and the echo are reachable by name.</summary>
    public abstract Task Serve(int port, TimeSpan timeout);

    /// <summary>Starts node A and resolves B's sink and echo (B listens on <paramref name="port"/>).</summary>
    public abstract Task<IRemoteClient> Connect(int port, Sizes sizes, TimeSpan timeout);

    public static readonly RemoteRuntime[] All = [new WispRemote(), new AkkaRemote(), new ProtoRemote()];

    public static RemoteRuntime Find(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"unknown runtime '{name}'");
}

/// <summary>Node A's side of the workloads, connected to one node B.</summary>
public interface IRemoteClient
{
    /// <summary>
    /// Sends <paramref name="messages"/> payloads to B's sink as fast as the runtime takes them, then a marker; the
    /// run ends when the sink's count comes back in its answer to the marker (B counted them all, since every runtime
    /// keeps the order of one sender's messages to one receiver). <paramref name="progress"/> hears every millionth send.
    /// </summary>
    Task<OneWayRun> OneWay(int messages, Action<int> progress, TimeSpan timeout);

    /// <summary>A requester per log, each sending as many requests as its log holds to B's echo, one at a time, and logging each one's latency.</summary>
    Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout);
}

/// <param name="SendTicks">from the first send to the last one handed to the runtime</param>
/// <param name="TotalTicks">from the first send to the sink's answer to the marker</param>
/// <param name="Counted">the messages the sink counted before the marker</param>
/// <param name="BackOffs">sends the runtime refused for a full queue (Wisp's back-pressure), retried after a pause</param>
public sealed record OneWayRun(long SendTicks, long TotalTicks, long Counted, long BackOffs);

public sealed record EchoRun(long ElapsedTicks, IReadOnlyList<LatencyLog> Latencies);

/// <summary>The payload every runtime sends: 64 random bytes, the same in every process (a fixed seed).</summary>
public static class Payload
{
    public const int Size = 64;
    public static readonly byte[] Bytes = Make();

    private static byte[] Make()
    {
        var bytes = new byte[Size];
        new Random(Size).NextBytes(bytes);
        return bytes;
    }

    /// <summary>An echo's answer carries the request's payload back: anything else means the work was not done.</summary>
    public static void Check(int length)
    {
        if (length != Size) throw new InvalidOperationException($"an echo answered {length} bytes, not {Size}");
    }
}
