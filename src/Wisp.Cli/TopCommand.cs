using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Wisp.Hosting.Entries;
using Wisp.Hosting.Inspection;

namespace Wisp.Cli;

/// <summary>
/// <c>wisp top</c>: attaches to the inspection endpoint of a node started with <c>run --inspect</c> (the one of the
/// same folder, or <c>--socket PATH</c>) and shows its processes and services (on a cluster, every node's, as that
/// node gathers them), refreshed every <c>--interval</c>,
/// until q or Ctrl+C; <c>--once</c> prints one frame. A node that is not there, or goes away, is an error line and
/// exit code 1.
/// </summary>
internal static class TopCommand
{
    private static readonly TimeSpan KeyPoll = TimeSpan.FromMilliseconds(50);

    public static Command Create(TextWriter output, TextWriter error, Func<ParseResult, string> folder)
    {
        var socket = new Option<string?>("--socket", "-s") { Description = "The node's inspection socket (default: the one 'run --inspect' opens for this folder)" };
        var interval = new Option<string>("--interval", "-i") { Description = "Time between refreshes, as a Go duration", DefaultValueFactory = _ => "1s" };
        var sort = new Option<TopOrder>("--sort") { Description = "Order of the processes (keys while running: m, i, o, u, p)", DefaultValueFactory = _ => TopOrder.Mailbox };
        var once = new Option<bool>("--once") { Description = "Print one frame and exit" };
        var command = new Command("top", "Watch a running node's processes and services (a node started with 'run --inspect')")
        {
            socket, interval, sort, once,
        };
        command.SetAction(async (parse, _) =>
        {
            if (!GoDuration.TryParse(parse.GetValue(interval), out var every) || every < TimeSpan.FromMilliseconds(100))
            {
                error.WriteLine($"error: invalid --interval '{parse.GetValue(interval)}' (expected a duration of 100ms or more, such as 1s)");
                return 2;
            }
            string path = parse.GetValue(socket) is { } given ? Path.GetFullPath(given, folder(parse)) : InspectionPath.For(folder(parse));
            var console = CreateConsole(output);
            using var interrupt = new Interrupt();
            try
            {
                await using var client = await InspectionClient.ConnectAsync(path, interrupt.Token);
                var view = await client.ClusterAsync(interrupt.Token);
                if (parse.GetValue(once))
                {
                    console.Write(TopView.Render(view, parse.GetValue(sort)));
                    return 0;
                }
                return await WatchAsync(console, client, view, parse.GetValue(sort), every, interrupt.Token);
            }
            catch (InspectionException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                return 0;   // Ctrl+C: watching ends as q ends it
            }
        });
        return command;
    }

    private static async Task<int> WatchAsync(IAnsiConsole console, InspectionClient client, ClusterView first, TopOrder order,
        TimeSpan every, CancellationToken stop)
    {
        await console.Live(TopView.Render(first, order, console.Profile.Height))
            .AutoClear(false).Overflow(VerticalOverflow.Crop)
            .StartAsync(async live =>
            {
                var view = first;
                while (true)
                {
                    live.UpdateTarget(TopView.Render(view, order, console.Profile.Height));
                    live.Refresh();
                    long shown = Stopwatch.GetTimestamp();
                    bool redraw = false;
                    while (!redraw && Stopwatch.GetElapsedTime(shown) < every)
                    {
                        if (ReadKey() is { } key)
                        {
                            if (key is 'q' or 'Q') return;
                            if (TopOrders.ForKey(key) is { } chosen)
                            {
                                order = chosen;
                                redraw = true;
                                continue;
                            }
                        }
                        await Task.Delay(KeyPoll, stop);
                    }
                    if (!redraw) view = await client.ClusterAsync(stop);
                }
            });
        return 0;
    }

    /// <summary>A key pressed on the terminal, if any (none when the input is not a terminal).</summary>
    private static char? ReadKey() => !Console.IsInputRedirected && Console.KeyAvailable ? Console.ReadKey(intercept: true).KeyChar : null;

    /// <summary>
    /// The console top draws on: the terminal as it is, or any other writer as plain text (no colours, no cursor moves)
    /// as wide as <c>$COLUMNS</c>, else 160 columns, so that a script's or a test's frame is not squeezed.
    /// </summary>
    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0 ? columns : 160;
        return console;
    }
}
