using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Wisp.Cluster;
using Wisp.Hosting;
using Wisp.Hosting.Entries;
using Wisp.Hosting.Inspection;
using Wisp.Hosting.Testing;

namespace Wisp.Cli;

/// <summary>What a program that hosts Wisp gives its command line.</summary>
public sealed record WispCommandOptions
{
    /// <summary>Where its C# process types live (process.dotnet entries may also name an assembly of their own).</summary>
    public IReadOnlyList<Assembly> Assemblies { get; init; } = [];

    /// <summary>Makes the process kinds of one run (the Lua runtime, for the wisp command); the runtime disposes them.</summary>
    public Func<IReadOnlyList<IProcessKind>> ProcessKinds { get; init; } = () => [];

    /// <summary>Whether a lock file beside the program is used when the folder has none (a program that carries its entries).</summary>
    public bool LockBesideProgram { get; init; } = true;
}

/// <summary>
/// The <c>wisp</c> command line, for a program that hosts Wisp processes: <c>init</c> writes the lock file,
/// <c>run -x [host/]entry</c> boots the entries and runs one process on the terminal, <c>test</c> runs the test
/// entries; <c>-C DIR</c> runs in another folder. Logs are quiet unless <c>-v</c> asks for them.
/// </summary>
public static class WispCommandLine
{
    public static Task<int> InvokeAsync(string[] args, params Assembly[] assemblies) =>
        InvokeAsync(args, new WispCommandOptions { Assemblies = assemblies });

    public static Task<int> InvokeAsync(string[] args, WispCommandOptions options) =>
        InvokeAsync(args, new NewlineReader(Console.In), Console.Out, Console.Error, options);

    public static Task<int> InvokeAsync(string[] args, TextReader input, TextWriter output, TextWriter error, params Assembly[] assemblies) =>
        InvokeAsync(args, input, output, error, new WispCommandOptions { Assemblies = assemblies });

    public static async Task<int> InvokeAsync(string[] args, TextReader input, TextWriter output, TextWriter error, WispCommandOptions options)
    {
        var directory = new Option<string?>("--directory", "-C")
        {
            Description = "Run in this folder instead of the current one (where the lock file is looked for)",
            Recursive = true,
        };
        var root = new RootCommand("Wisp: Erlang- and Go-style processes for .NET")
        {
            directory,
            InitCommand(output, error, directory),
            RunCommand(input, output, error, options, directory),
            TestCommand(input, output, error, options, directory),
            TopCommand.Create(output, error, parse => Folder(parse, directory)),
            CompletionCommand.Create(output),
        };
        // No response files: a process argument such as "@alice" is a word for the process, not a file to expand.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,   // Ctrl+C is handled by run: graceful first, immediate second
        });
    }

    private static Option<string?> LockOption() => new("--lock", "-l")
    {
        Description = $"Lock file naming the source folder (default: ./{LockFile.DefaultFileName}, else ./{LockFile.LegacyFileName}, else the one beside the program)",
    };

    /// <summary>The folder to work in: -C DIR, else the current one.</summary>
    internal static string Folder(ParseResult parse, Option<string?> directory) =>
        Path.GetFullPath(parse.GetValue(directory) ?? Directory.GetCurrentDirectory());

    private static Command InitCommand(TextWriter output, TextWriter error, Option<string?> directory)
    {
        var lockPath = LockOption();
        var sourceDir = new Option<string>("--src-dir", "-d") { Description = "Source folder with the entry files", DefaultValueFactory = _ => "./src" };
        var modulesDir = new Option<string>("--modules-dir") { Description = "Modules folder", DefaultValueFactory = _ => ".wisp" };
        var command = new Command("init", "Write the lock file that names the source folder") { lockPath, sourceDir, modulesDir };
        command.SetAction(parse =>
        {
            string folder = Folder(parse, directory);
            if (!Directory.Exists(folder))
            {
                error.WriteLine($"error: no such folder: {folder}");
                return 2;
            }
            string path = Path.GetFullPath(parse.GetValue(lockPath) ?? LockFile.DefaultFileName, folder);
            if (File.Exists(path))
            {
                error.WriteLine($"error: {path} already exists");
                return 1;
            }
            string lockFolder = Path.GetDirectoryName(path)!;
            new LockFile(Path.GetFullPath(parse.GetValue(sourceDir)!, lockFolder), Path.GetFullPath(parse.GetValue(modulesDir)!, lockFolder)).Write(path);
            output.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    private static Command RunCommand(TextReader input, TextWriter output, TextWriter error, WispCommandOptions options, Option<string?> directory)
    {
        var exec = new Option<string?>("--exec", "-x") { Description = "Process or function to run on the terminal: [host/]namespace:entry" };
        var name = new Argument<string?>("command") { Description = "Run the entry whose meta.command.name this is", Arity = ArgumentArity.ZeroOrOne };
        var processArgs = new Argument<string[]>("args")
        {
            Description = "Arguments for the process run (its io.args()); after -- when one starts with a dash",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var lockPath = LockOption();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show runtime and process logs on stderr (info level)" };
        var logLevel = new Option<LogLevel?>("--log-level") { Description = "Show logs from this level on (Trace, Debug, Information, Warning, Error)" };
        var inspect = new Option<string?>("--inspect")
        {
            Description = "Open the inspection endpoint 'wisp top' attaches to: a Unix socket at PATH (default: one named for this folder)",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "PATH",
        };
        var nodeFlags = new NodeFlags();
        var command = new Command("run",
            "Boot the entries: with -x or a command name, run one process on the terminal host and stop; else run the services until Ctrl+C")
        {
            exec, name, processArgs, lockPath, verbose, logLevel, inspect,
        };
        var dashboardFlags = new DashboardFlags();
        foreach (var option in nodeFlags.All.Concat(dashboardFlags.All)) command.Options.Add(option);
        command.SetAction(async (parse, _) =>
        {
            string? target = parse.GetValue(exec), commandName = parse.GetValue(name);
            string[] args = parse.GetValue(processArgs) ?? [];
            if (target is not null && commandName is not null)
            {
                args = [commandName, .. args];   // with -x, every word after the options is the process's
                commandName = null;
            }
            bool serve = target is null && commandName is null;   // then there are no words for a process either
            // Serving, the node's logs are its output (as the reference's); running one process, they are asked for.
            var level = parse.GetValue(logLevel) ?? (parse.GetValue(verbose) || serve ? LogLevel.Information : LogLevel.None);
            using var loggers = Logging.Create(level);
            string? inspectPath = parse.GetResult(inspect) is null ? null
                : parse.GetValue(inspect) is { } given ? Path.GetFullPath(given, Folder(parse, directory)) : InspectionPath.For(Folder(parse, directory));
            if (Load(parse, parse.GetValue(lockPath), directory, input, output, error, options, loggers, nodeFlags, inspectPath, dashboardFlags, args) is not { } runtime) return 2;
            using var interrupt = new Interrupt();
            if (serve) return await runtime.ServeAsync(interrupt.Token);
            if (commandName is not null)
            {
                if (runtime.FindCommand(commandName) is not { } found)
                {
                    error.WriteLine($"error: command not found: {commandName} (no entry has meta.command.name: {commandName})");
                    await runtime.ShutdownAsync();
                    return 1;
                }
                target = found.ToString();
            }
            return await runtime.RunAsync(target!, interrupt.Token);
        });
        return command;
    }

    private static Command TestCommand(TextReader input, TextWriter output, TextWriter error, WispCommandOptions options, Option<string?> directory)
    {
        var filter = new Argument<string?>("filter") { Description = "Run only the tests whose id contains this text", Arity = ArgumentArity.ZeroOrOne };
        var suite = new Option<string?>("--suite") { Description = "Run only this suite (meta.suite)" };
        var junit = new Option<string?>("--junit") { Description = "Also write a JUnit XML report to this file" };
        var timeout = new Option<string>("--timeout") { Description = "Time each test may run, as a Go duration", DefaultValueFactory = _ => "30s" };
        var lockPath = LockOption();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show runtime and process logs on stderr (info level)" };
        var nodeFlags = new NodeFlags();
        var command = new Command("test", "Run the test entries: function.lua entries with meta.type: test, by suite and order")
        {
            filter, suite, junit, timeout, lockPath, verbose,
        };
        foreach (var option in nodeFlags.All) command.Options.Add(option);
        command.SetAction(async (parse, _) =>
        {
            if (!GoDuration.TryParse(parse.GetValue(timeout), out var limit) || limit <= TimeSpan.Zero)
            {
                error.WriteLine($"error: invalid --timeout '{parse.GetValue(timeout)}' (expected a duration such as 30s)");
                return 2;
            }
            using var loggers = Logging.Create(parse.GetValue(verbose) ? LogLevel.Information : LogLevel.None);
            if (Load(parse, parse.GetValue(lockPath), directory, input, output, error, options, loggers, nodeFlags) is not { } runtime) return 2;
            using var interrupt = new Interrupt();
            try
            {
                await runtime.StartAsync();
                var runner = new TestRunner(runtime);
                var tests = runner.Discover(parse.GetValue(suite), parse.GetValue(filter));
                if (tests.Count == 0)
                {
                    error.WriteLine("error: no tests found (function.lua entries with meta.type: test)");
                    return 1;
                }
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                string? suiteShown = null;
                var outcomes = await runner.RunAsync(tests, limit, outcome =>
                {
                    if (outcome.Test.Suite != suiteShown) output.WriteLine($"{(suiteShown is null ? "" : "\n")}suite {suiteShown = outcome.Test.Suite}");
                    output.WriteLine($"  {(outcome.Passed ? "PASS" : "FAIL")} {outcome.Test.Id} ({outcome.Duration.TotalMilliseconds:0} ms)");
                    if (outcome.Error is { } failure)
                        foreach (var line in failure.Message.Split('\n')) output.WriteLine($"       {line}");
                }, interrupt.Token);
                var total = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                int failed = outcomes.Count(o => !o.Passed);
                output.WriteLine();
                output.WriteLine($"{outcomes.Count - failed} passed, {failed} failed, {outcomes.Count} total ({total.TotalSeconds:0.0} s)");
                if (parse.GetValue(junit) is { } report) JUnitReport.Write(Path.GetFullPath(report, Folder(parse, directory)), outcomes, total);
                return failed == 0 ? 0 : 1;
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("interrupted");
                return 130;
            }
            catch (WispException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
            finally
            {
                await runtime.ShutdownAsync();
            }
        });
        return command;
    }

    /// <summary>
    /// The runtime of the folder's entries, with the inspection endpoint at <paramref name="inspectPath"/> if given;
    /// null (the error printed) when the lock file or an entry file is bad.
    /// </summary>
    private static WispRuntime? Load(ParseResult parse, string? lockPath, Option<string?> directory, TextReader input, TextWriter output,
        TextWriter error, WispCommandOptions options, ILoggerFactory loggers, NodeFlags node, string? inspectPath = null,
        DashboardFlags? dashboard = null, IReadOnlyList<string>? args = null)
    {
        try
        {
            var lockFile = FindLock(lockPath, Folder(parse, directory), options.LockBesideProgram);
            var runtimeOptions = node.Apply(parse, Folder(parse, directory), new WispRuntimeOptions
            {
                SourceDirectory = lockFile.SourceDirectory,
                Assemblies = options.Assemblies,
                ProcessKinds = options.ProcessKinds(),
                LoggerFactory = loggers,
                Input = input,
                Output = output,
                Error = error,
                Colors = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
                    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
                Args = args ?? [],
            });
            // A clustered node answers the other nodes' inspection (any node's top sees all), once its cluster has started;
            // the endpoint, last, gathers the peers the cluster reaches at each request.
            var cluster = runtimeOptions.Extensions.OfType<ClusterExtension>().FirstOrDefault();
            if (cluster is not null) runtimeOptions = runtimeOptions with { Extensions = [.. runtimeOptions.Extensions, new InspectionResponder()] };
            if (inspectPath is not null)
                runtimeOptions = runtimeOptions with
                {
                    Extensions = [.. runtimeOptions.Extensions, new InspectionEndpoint(inspectPath, () => cluster?.Cluster?.Peers ?? [])],
                };
            return WispRuntime.Load(dashboard?.Apply(parse, runtimeOptions) ?? runtimeOptions);
        }
        catch (Exception e) when (e is EntryLoadException or LockFileException or WispException)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    private static LockFile FindLock(string? explicitPath, string folder, bool besideProgram)
    {
        if (explicitPath is not null)
        {
            var path = Path.GetFullPath(explicitPath, folder);
            return File.Exists(path) ? LockFile.Read(path) : throw new LockFileException($"lock file not found: {path}");
        }
        if (!Directory.Exists(folder)) throw new LockFileException($"no such folder: {folder}");
        string? found = LockFile.Find(folder) ?? (besideProgram ? LockFile.Find(AppContext.BaseDirectory) : null);
        return found is not null ? LockFile.Read(found)
            : throw new LockFileException($"no {LockFile.DefaultFileName} or {LockFile.LegacyFileName} in {folder}: run 'init' first, or pass --lock");
    }

    private sealed class LockFileException(string message) : Exception(message);
}
