using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

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
/// <c>run -x [host/]entry</c> boots the entries and runs one process on the terminal; <c>-C DIR</c> runs in another
/// folder. Logs are quiet under <c>run -x</c> unless <c>-v</c> asks for them.
/// </summary>
public static class WispCommandLine
{
    public static Task<int> InvokeAsync(string[] args, params Assembly[] assemblies) =>
        InvokeAsync(args, new WispCommandOptions { Assemblies = assemblies });

    public static Task<int> InvokeAsync(string[] args, WispCommandOptions options) =>
        InvokeAsync(args, Console.In, Console.Out, Console.Error, options);

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
        };
        var parsed = root.Parse(args);
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
    private static string Folder(ParseResult parse, Option<string?> directory) =>
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
        var exec = new Option<string>("--exec", "-x") { Description = "Process to run on the terminal: [host/]namespace:entry", Required = true };
        var lockPath = LockOption();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show runtime and process logs on stderr (info level)" };
        var logLevel = new Option<LogLevel?>("--log-level") { Description = "Show logs from this level on (Trace, Debug, Information, Warning, Error)" };
        var command = new Command("run", "Boot the entries and run one process on the terminal host") { exec, lockPath, verbose, logLevel };
        command.SetAction(async (parse, _) =>
        {
            var level = parse.GetValue(logLevel) ?? (parse.GetValue(verbose) ? LogLevel.Information : LogLevel.None);
            using var loggers = Logging.Create(level);
            WispRuntime runtime;
            try
            {
                var lockFile = FindLock(parse.GetValue(lockPath), Folder(parse, directory), options.LockBesideProgram);
                runtime = WispRuntime.Load(new WispRuntimeOptions
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
                });
            }
            catch (EntryLoadException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 2;
            }
            catch (LockFileException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 2;
            }
            using var interrupt = new Interrupt();
            return await runtime.RunAsync(parse.GetValue(exec)!, interrupt.Token);
        });
        return command;
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
