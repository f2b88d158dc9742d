using Wisp.Hosting;

namespace Wisp.Tests.Runtime;

public class TerminalExitTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private int Code(object? value) => TerminalExit.Code(ExitResult.Success(value), _output, _error);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 7)]
    [InlineData(255, 255)]
    [InlineData(-2, -2)]
    public void An_int_is_the_exit_code(int value, int expected)
    {
        Assert.Equal(expected, Code(value));
        AssertNothingWritten();
    }

    [Fact]
    public void Every_integer_type_is_the_exit_code()
    {
        Assert.Equal(3, Code(3L));
        Assert.Equal(4, Code((short)4));
        Assert.Equal(5, Code((byte)5));
        Assert.Equal(6, Code((sbyte)6));
        Assert.Equal(7, Code(7u));
        Assert.Equal(8, Code(8ul));
        Assert.Equal(9, Code((ushort)9));
        Assert.Equal(10, Code(10m));
        AssertNothingWritten();
    }

    [Fact]
    public void A_float_is_truncated()
    {
        Assert.Equal(3, Code(3.9));
        Assert.Equal(2, Code(2.5f));
        Assert.Equal(-1, Code(-1.7));
        AssertNothingWritten();
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_float_is_one(double value)
    {
        Assert.Equal(1, Code(value));
        Assert.Equal(1, Code((float)value));
    }

    [Fact]
    public void An_integer_outside_the_int_range_is_one()
    {
        Assert.Equal(1, Code(1L << 40));
        Assert.Equal(1, Code(ulong.MaxValue));
    }

    [Fact]
    public void An_error_prints_its_message_to_stderr_and_is_one()
    {
        var code = TerminalExit.Code(ExitResult.Failure(new ProcessError("disk on fire")), _output, _error);
        Assert.Equal(1, code);
        Assert.Equal("error: disk on fire" + Environment.NewLine, _error.ToString());
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public void A_non_retryable_error_is_one_too()
    {
        var code = TerminalExit.Code(ExitResult.Failure(new ProcessError("bad", ErrorKind.Invalid, Retryable: false)), _output, _error);
        Assert.Equal(1, code);
        Assert.Contains("bad", _error.ToString());
    }

    [Fact]
    public void A_string_is_printed_to_stdout_and_is_zero()
    {
        Assert.Equal(0, Code("hello world"));
        Assert.Equal("hello world" + Environment.NewLine, _output.ToString());
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void An_empty_string_prints_an_empty_line()
    {
        Assert.Equal(0, Code(""));
        Assert.Equal(Environment.NewLine, _output.ToString());
    }

    [Fact]
    public void A_numeric_string_is_printed_not_used_as_the_code()
    {
        Assert.Equal(0, Code("42"));
        Assert.Equal("42" + Environment.NewLine, _output.ToString());
    }

    [Fact]
    public void True_is_zero_and_false_is_one()
    {
        Assert.Equal(0, Code(true));
        Assert.Equal(1, Code(false));
        AssertNothingWritten();
    }

    [Fact]
    public void Nil_and_anything_else_are_zero()
    {
        Assert.Equal(0, Code(null));
        Assert.Equal(0, Code(new object()));
        Assert.Equal(0, Code(new[] { 1, 2 }));
        Assert.Equal(0, Code(new Dictionary<string, object?> { ["code"] = 5 }));
        Assert.Equal(0, Code(TimeSpan.FromSeconds(3)));
        Assert.Equal(0, Code('x'));
        AssertNothingWritten();
    }

    private void AssertNothingWritten()
    {
        Assert.Equal("", _output.ToString());
        Assert.Equal("", _error.ToString());
    }
}
