using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;
using Wisp.Hosting;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli.Tests;

/// <summary>
/// The C# echo service's entries in this process on a clock only the test moves, with the inspection endpoint at the
/// socket <c>run --inspect</c> would open for a fresh folder; frames of <c>wisp top</c> rendered in a test console.
/// </summary>
public sealed class WatchedNode : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private WatchedNode(WispRuntime runtime, string folder, FakeTimeProvider clock)
    {
        Runtime = runtime;
        Folder = folder;
        Clock = clock;
    }

    public WispRuntime Runtime { get; }
    public Node Node => Runtime.Node;
    public FakeTimeProvider Clock { get; }

    /// <summary>The folder the node "runs in", which names its socket.</summary>
    public string Folder { get; }

    public string SocketPath => InspectionPath.For(Folder);

    /// <summary>A path no other test uses, under the temp folder: a node's folder name or a socket (nothing is created).</summary>
    public static string UniquePath(string suffix = "") =>
        Path.Combine(Path.GetTempPath(), "wisp-top-tests-" + Guid.NewGuid().ToString("N")[..12] + suffix);

    public static async Task<WatchedNode> StartAsync()
    {
        var folder = UniquePath();
        var clock = new FakeTimeProvider();
        var runtime = WispRuntime.Load(new WispRuntimeOptions
        {
            SourceDirectory = Path.Combine(AppContext.BaseDirectory, "src"),
            Assemblies = [typeof(EchoService.Relay).Assembly],
            Time = clock,
            Extensions = [new InspectionEndpoint(InspectionPath.For(folder))],
        });
        await runtime.StartAsync();
        // A service counts as started once its process is spawned; the relay registers its name in its first slice.
        using var deadline = new CancellationTokenSource(Deadline);
        while (runtime.Node.Registry.Lookup("relay") is null)
        {
            if (deadline.IsCancellationRequested) Assert.Fail($"the relay did not register within {Deadline}");
            await Task.Delay(5);
        }
        return new WatchedNode(runtime, folder, clock);
    }

    /// <summary>Snapshots until one satisfies <paramref name="condition"/>, within the deadline.</summary>
    public async Task<NodeSnapshot> WaitForAsync(Func<NodeSnapshot, bool> condition, string what, Action? betweenTries = null)
    {
        await using var client = await InspectionClient.ConnectAsync(SocketPath);
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var snapshot = await client.SnapshotAsync();
            if (condition(snapshot)) return snapshot;
            if (deadline.IsCancellationRequested) Assert.Fail($"no snapshot showed {what} within {Deadline}");
            betweenTries?.Invoke();
            await Task.Delay(10);
        }
    }

    /// <summary>The frame top prints for a standalone node's <paramref name="snapshot"/>.</summary>
    internal static string Render(NodeSnapshot snapshot, TopOrder order = TopOrder.Mailbox, int? height = null) =>
        Render(new ClusterView([snapshot], []), order, height);

    /// <summary>The frame top prints for <paramref name="view"/>, as text 160 columns wide (in a terminal <paramref name="height"/> lines high).</summary>
    internal static string Render(ClusterView view, TopOrder order = TopOrder.Mailbox, int? height = null)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        console.Write(TopView.Render(view, order, height));
        return text.ToString();
    }

    /// <summary>The cells of the frame's row that starts with <paramref name="first"/> (a PID, a service; a node and a PID), split on blanks.</summary>
    public static string[] Row(string frame, params string[] first)
    {
        var rows = frame.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length >= first.Length && cells.AsSpan(0, first.Length).SequenceEqual(first)).ToList();
        Assert.True(rows.Count == 1, $"{rows.Count} rows start with {string.Join(" ", first)} in:\n{frame}");
        return rows[0];
    }

    /// <summary>A socket file that no process listens on, as a node killed with SIGKILL leaves it.</summary>
    public static void LeaveStaleSocket(string path)
    {
        InspectionPath.PrepareFolder(path);
        // A socket's Dispose removes the file it was bound to: the file is moved away from under it first.
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(path + ".bound"));
            File.Move(path + ".bound", path);
        }
        Assert.True(File.Exists(path));
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.ShutdownAsync();
        Runtime.Node.Dispose();
    }
}
