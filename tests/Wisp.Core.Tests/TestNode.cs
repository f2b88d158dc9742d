namespace Wisp.Tests;

/// <summary>A node with one host (<c>app:processes</c>) and helpers to wait for events with generous deadlines.</summary>
internal sealed class TestNode
{
    public const string HostId = "app:processes";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TestNode(ProcessCatalog? catalog = null, HostOptions? host = null, TimeProvider? time = null)
    {
        Catalog = catalog ?? new ProcessCatalog();
        Node = new Node(new NodeOptions { Catalog = Catalog, Time = time ?? TimeProvider.System });
        Host = Node.AddHost(HostId, host);
    }

    public Node Node { get; }
    public Host Host { get; }
    public ProcessCatalog Catalog { get; }

    public Pid Spawn(ProcessBody body, params object?[] args) => Node.Spawn(HostId, body, args);

    /// <summary>Runs <paramref name="body"/> as a process and returns its exit result.</summary>
    public async Task<ExitResult> Run(ProcessBody body, params object?[] args)
    {
        var pid = Spawn(body, args);
        return await Node.WhenExited(pid).WaitAsync(Deadline);
    }

    /// <summary>Runs <paramref name="body"/> and returns its value, failing the test on an error exit.</summary>
    public async Task<object?> Value(ProcessBody body, params object?[] args)
    {
        var result = await Run(body, args);
        Assert.True(result.Error is null, $"process failed: {result.Error?.Exception ?? (object?)result.Error}");
        return result.Value;
    }
}
