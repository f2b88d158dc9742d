using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;

namespace Wisp.Workloads;

/// <summary>What both harnesses' command lines share (System.CommandLine): positive sizes, lists of names, help and errors.</summary>
public static class CommandLineParts
{
    /// <summary>
    /// The parse of <paramref name="args"/>, or null when they only asked for help (printed; exit code 0) or were wrong
    /// (the errors, then the help, on stderr; exit code 2).
    /// </summary>
    public static ParseResult? Parse(RootCommand root, string[] args, out int exitCode)
    {
        var parse = root.Parse(args);
        exitCode = parse.Errors.Count > 0 ? 2 : 0;
        if (parse.Errors.Count == 0 && parse.Action is null) return parse;
        foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
        if (parse.Errors.Count > 0) Console.Error.WriteLine();
        root.Parse("--help").Invoke(new InvocationConfiguration { Output = parse.Errors.Count > 0 ? Console.Error : Console.Out });
        return null;
    }

    /// <summary>An option that takes a number above 0.</summary>
    public static Option<int> Positive(string name, string description)
    {
        var option = new Option<int>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0) r.AddError($"{name}: a positive number, got {r.GetValueOrDefault<int>()}");
        });
        return option;
    }

    /// <summary>The option's value if the command line gave it, else <paramref name="otherwise"/>.</summary>
    public static T Or<T>(this ParseResult parse, Option<T> option, T otherwise) =>
        parse.GetResult(option) is null ? otherwise : parse.GetValue(option)!;

    /// <summary>A parser of one JSON value (the sizes a harness hands its children); bad JSON is the option's error.</summary>
    public static Func<ArgumentResult, T?> Json<T>(string name) where T : class =>
        r =>
        {
            try
            {
                return JsonSerializer.Deserialize<T>(r.Tokens.Single().Value) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                r.AddError($"{name}: not valid JSON for {typeof(T).Name}: {e.Message}");
                return null;
            }
        };

    /// <summary>
    /// A parser of comma-separated names, each found by <paramref name="find"/> (an unknown one is an error);
    /// <paramref name="skip"/> leaves out names that are known but cannot run here.
    /// </summary>
    public static Func<ArgumentResult, List<T>> Names<T>(Func<string, T?> find, string what, Func<string, bool>? skip = null) where T : class =>
        r =>
        {
            var found = new List<T>();
            foreach (var name in r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)))
            {
                if (skip?.Invoke(name) == true) continue;
                if (find(name) is { } item) found.Add(item);
                else r.AddError($"unknown {what} '{name}'");
            }
            return found;
        };
}
