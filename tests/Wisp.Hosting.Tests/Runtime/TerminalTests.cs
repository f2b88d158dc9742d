using Wisp.Hosting;

namespace Wisp.Tests.Runtime;

public class TerminalTests
{
    private const string Esc = "\u001b[";

    private static Terminal Make(bool colors, TextReader? input = null) =>
        new(input ?? new StringReader(""), new StringWriter(), new StringWriter(), colors);

    [Fact]
    public void Colors_on_wrap_text_in_ansi_codes()
    {
        var t = Make(colors: true);
        Assert.True(t.Colors);
        Assert.Equal($"{Esc}36mhi{Esc}0m", t.Cyan("hi"));
        Assert.Equal($"{Esc}2mhi{Esc}0m", t.Dim("hi"));
        Assert.Equal($"{Esc}33mhi{Esc}0m", t.Yellow("hi"));
        Assert.Equal($"{Esc}32mhi{Esc}0m", t.Green("hi"));
    }

    [Fact]
    public void Colors_off_leave_text_plain()
    {
        var t = Make(colors: false);
        Assert.False(t.Colors);
        Assert.Equal("hi", t.Cyan("hi"));
        Assert.Equal("hi", t.Dim("hi"));
        Assert.Equal("hi", t.Yellow("hi"));
        Assert.Equal("hi", t.Green("hi"));
    }

    [Fact]
    public void Write_Print_and_PrintError_go_to_their_writers()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var t = new Terminal(new StringReader(""), output, error, colors: false);
        t.Write("> ");
        t.Print("line");
        t.PrintError("oops");
        Assert.Equal("> line" + Environment.NewLine, output.ToString());
        Assert.Equal("oops" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task ReadLine_returns_lines_then_null_at_end_of_input()
    {
        var t = Make(false, new StringReader("one\r\ntwo\nthree"));
        Assert.Equal("one", await t.ReadLine());
        Assert.Equal("two", await t.ReadLine());
        Assert.Equal("three", await t.ReadLine());
        Assert.Null(await t.ReadLine());
        Assert.Null(await t.ReadLine());
    }

    [Fact]
    public async Task A_second_ReadLine_while_one_is_pending_is_refused()
    {
        using var reader = new GatedReader("first");
        var t = Make(false, reader);
        var pending = t.ReadLine();
        Assert.False(pending.IsCompleted);
        var e = await Assert.ThrowsAsync<WispException>(async () => await t.ReadLine());
        Assert.Equal(ErrorKind.InvalidState, e.Kind);
        reader.Open();
        Assert.Equal("first", await Eventually.Within(pending.AsTask(), "the pending read"));
        Assert.Null(await t.ReadLine());
    }

    private static string Yaml(string method) => $"""
        namespace: app
        entries:
          - name: term
            kind: terminal.host
          - name: main
            kind: process.dotnet
            type: Wisp.Tests.Runtime.TerminalTargets
            method: {method}
        """;

    [Theory]
    [InlineData("hello\nworld\n")]
    [InlineData("hello\r\nworld")]
    public async Task A_process_on_a_terminal_host_reads_lines_until_end_of_input(string input)
    {
        await using var test = new TestRuntime(Yaml("ReadTwo"), input);
        var code = await Eventually.Within(test.Runtime.RunAsync("app:main"), "run");
        Assert.Equal(0, code);
        Assert.Equal("helloworld" + Environment.NewLine, test.Output.ToString());   // third read was null (EOF)
        Assert.Equal("", test.Error.ToString());
    }

    [Fact]
    public async Task Reads_past_the_end_of_input_are_null()
    {
        await using var test = new TestRuntime(Yaml("ReadTwo"), "only\n");
        Assert.Equal(0, await Eventually.Within(test.Runtime.RunAsync("app:main"), "run"));
        Assert.Equal("only" + Environment.NewLine, test.Output.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_runtime_colors_option_reaches_the_terminal(bool colors)
    {
        await using var test = new TestRuntime(Yaml("Styled"), colors: colors);
        Assert.Equal(0, await Eventually.Within(test.Runtime.RunAsync("app:main"), "run"));
        var expectedOut = colors ? $"{Esc}36mc{Esc}0m {Esc}32mok{Esc}0m{Esc}2m.{Esc}0m" : "c ok.";
        var expectedErr = colors ? $"{Esc}33mwarn{Esc}0m" : "warn";
        Assert.Equal(expectedOut + Environment.NewLine, test.Output.ToString());
        Assert.Equal(expectedErr + Environment.NewLine, test.Error.ToString());
    }

    /// <summary>A reader whose first ReadLine blocks until <see cref="Open"/>; then end of input.</summary>
    private sealed class GatedReader(string line) : TextReader
    {
        private readonly ManualResetEventSlim _gate = new();
        private bool _given;

        public void Open() => _gate.Set();

        public override string? ReadLine()
        {
            _gate.Wait(Eventually.Deadline);
            if (_given) return null;
            _given = true;
            return line;
        }

        protected override void Dispose(bool disposing)
        {
            _gate.Set();
            if (disposing) _gate.Dispose();
            base.Dispose(disposing);
        }
    }
}
