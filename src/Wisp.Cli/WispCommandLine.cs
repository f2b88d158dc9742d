using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Cli;

/// <summary>
/// The <c>wisp</c> command line, for a program that hosts Wisp processes (its C# process types live in the
/// assemblies it passes): <c>init</c> writes the lock file, <c>run -x [host/]entry</c> boots the entries and
/// runs one process on the terminal. Logs are quiet under <c>run -x</c> unless <c>-v</c> asks for them.
/// </summary>
public static class WispCommandLine
{
    public static Task<int> InvokeAsync(string[] args, params Assembly[] assemblies) =>
        InvokeAsync(args, Console.In, Console.Out, Console.Error, assemblies);

    public static async Task<int> InvokeAsync(string[] args, TextReader input, TextWriter output, TextWriter error, params Assembly[] assemblies)
    {
        var root = new RootCommand("Wisp: Erlang- and Go-style processes for .NET")
        {
            InitCommand(output, error),
            RunCommand(input, output, error, assemblies),
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

    private static Command InitCommand(TextWriter output, TextWriter error)
    {
        var lockPath = LockOption();
        var sourceDir = new Option<string>("--src-dir", "-d") { Description = "Source folder with the entry files", DefaultValueFactory = _ => "./src" };
        var modulesDir = new Option<string>("--modules-dir") { Description = "Modules folder", DefaultValueFactory = _ => ".wisp" };
        var command = new Command("init", "Write the lock file that names the source folder") { lockPath, sourceDir, modulesDir };
        command.SetAction(parse =>
        {
            string path = Path.GetFullPath(parse.GetValue(lockPath) ?? LockFile.DefaultFileName);
            if (File.Exists(path))
            {
                error.WriteLine($"error: {path} already exists");
                return 1;
            }
            string folder = Path.GetDirectoryName(path)!;
            new LockFile(Path.GetFullPath(parse.GetValue(sourceDir)!, folder), Path.GetFullPath(parse.GetValue(modulesDir)!, folder)).Write(path);
            output.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    private static Command RunCommand(TextReader input, TextWriter output, TextWriter error, Assembly[] assemblies)
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
                var lockFile = FindLock(parse.GetValue(lockPath));
                runtime = WispRuntime.Load(new WispRuntimeOptions
                {
                    SourceDirectory = lockFile.SourceDirectory,
                    Assemblies = assemblies,
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

    private static LockFile FindLock(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? LockFile.Read(explicitPath) : throw new LockFileException($"lock file not found: {explicitPath}");
        string? found = LockFile.Find(Directory.GetCurrentDirectory()) ?? LockFile.Find(AppContext.BaseDirectory);
        return found is not null ? LockFile.Read(found)
            : throw new LockFileException($"no {LockFile.DefaultFileName} or {LockFile.LegacyFileName} in {Directory.GetCurrentDirectory()}: run 'init' first, or pass --lock");
    }

    private sealed class LockFileException(string message) : Exception(message);
}
