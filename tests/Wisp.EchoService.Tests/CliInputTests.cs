using System.Text;
using System.Text.RegularExpressions;

namespace Wisp.EchoService.Tests;

/// <summary>
/// Bad input typed into the echo CLI, through the real programs (the C# echo service's and the wisp command running
/// the seed's cli.lua, unchanged) with piped standard input: each line is read as documented (docs/lua.md, "io"; a
/// line ends at \n, a \r before it is dropped, bytes that are not UTF-8 are U+FFFD, control characters pass as they
/// are, there is no length limit, input that ends without a newline is a last line), its reply comes back, and the
/// service goes on: the next line is answered, and end of input says goodbye with exit code 0.
/// </summary>
public sealed class CliInputTests : IDisposable
{
    private readonly TempFolder _cwd = new();

    public void Dispose() => _cwd.Dispose();

    /// <summary>What one program's CLI prints around a reply.</summary>
    private sealed record Cli(Func<string, ChildProcess> Start, string Banner, string Prompt, Func<string, string> Reply, Regex WorkerLine, string Goodbye);

    private static readonly Cli CSharp = new(
        cwd => EchoProcess.Start(cwd, "run", "-x", "app:terminal/app:cli"),
        "Echo Client\nType messages to echo. Ctrl+C to exit.\n\n", "> ", text => $"  {text}\n",
        new Regex(@"(?m)^  from worker: \{app:processes\|0x[0-9a-f]{5,}\}\n"), "\nGoodbye!\n");

    private static readonly Cli Lua = new(
        cwd => EchoProcess.StartWisp(cwd, "-C", SeedFolder.Directory, "run", "-x", "app:terminal/app:cli"),
        SeedFolder.Banner, SeedFolder.Prompt, SeedFolder.Reply, SeedFolder.WorkerLine, SeedFolder.Goodbye);

    private static readonly string Megabyte = string.Concat(Enumerable.Repeat("ab", 512 * 1024));

    /// <summary>A case: the bytes typed, and the reply expected (the worker upper-cases ASCII letters).</summary>
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var program in new[] { "csharp", "lua" })
        {
            cases.Add(program, "invalid UTF-8", "CAF\uFFFD(\uFFFDX");
            cases.Add(program, "1 MB line", Megabyte.ToUpperInvariant());
            cases.Add(program, "NUL", "A\0B");
            cases.Add(program, "ESC sequence", "\u001b[31MRED\u001b[0M");
            cases.Add(program, "backspace", "AB\bC");
            cases.Add(program, "CR inside a line", "A\rB");
            cases.Add(program, "CRLF", "CRLF");
            cases.Add(program, "EOF mid-line", "PARTIAL");
        }
        return cases;
    }

    private static byte[] Typed(string name) => name switch
    {
        "invalid UTF-8" => [.. "caf"u8, 0xC3, (byte)'(', 0xFF, (byte)'x', (byte)'\n'],
        "1 MB line" => Encoding.ASCII.GetBytes(Megabyte + "\n"),
        "NUL" => "a\0b\n"u8.ToArray(),
        "ESC sequence" => "\u001b[31mred\u001b[0m\n"u8.ToArray(),
        "backspace" => "ab\bc\n"u8.ToArray(),
        "CR inside a line" => "a\rb\n"u8.ToArray(),
        "CRLF" => "crlf\r\n"u8.ToArray(),
        "EOF mid-line" => "partial"u8.ToArray(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_line_is_read_as_documented_and_the_service_goes_on(string program, string input, string reply)
    {
        var cli = program == "lua" ? Lua : CSharp;
        await using var child = cli.Start(_cwd.Path);
        await child.Output.ExpectAsync(cli.Banner + cli.Prompt);
        child.WriteBytes(Typed(input));
        if (input == "EOF mid-line")
        {
            child.CloseInput();   // the partial line is a last line, then end of input
            await child.Output.ExpectAsync(cli.WorkerLine, description: "the worker line of the partial line");
        }
        else
        {
            await child.Output.ExpectAsync(cli.WorkerLine, description: $"the worker line of the {input} case");
            await child.Output.ExpectAsync(cli.Prompt);
            child.WriteLine("next");
            await child.Output.ExpectAsync(cli.Reply("NEXT"));
            await child.Output.ExpectAsync(cli.Prompt);
            child.CloseInput();
        }
        Assert.Equal(0, await child.WaitForExitAsync());
        var text = child.Output.Text;
        var expected = cli.Reply(reply).Replace("\r", "");   // the capture drops carriage returns
        int at = text.IndexOf(expected, StringComparison.Ordinal);
        Assert.True(at == cli.Banner.Length + cli.Prompt.Length, $"the reply to the {input} case is not the first output after the prompt:\n"
            + (text.Length > 2000 ? text[..2000] + "…" : text));
        Assert.EndsWith(cli.Goodbye, text);
        Assert.Equal("", child.Error.Text);
    }
}
