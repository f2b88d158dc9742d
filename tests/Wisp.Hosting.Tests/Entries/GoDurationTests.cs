using Wisp.Hosting.Entries;

namespace Wisp.Tests.Entries;

public class GoDurationTests
{
    [Theory]
    [InlineData("300ms", 300 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("2h45m", 165 * TimeSpan.TicksPerMinute)]
    [InlineData("1m30s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("-1.5s", -15 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("+2s", 2 * TimeSpan.TicksPerSecond)]
    [InlineData(".5s", 5 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("1.s", TimeSpan.TicksPerSecond)]
    [InlineData("1500us", 15 * TimeSpan.TicksPerMillisecond / 10)]
    [InlineData("1500µs", 15 * TimeSpan.TicksPerMillisecond / 10)]
    [InlineData("1500μs", 15 * TimeSpan.TicksPerMillisecond / 10)]
    [InlineData("1000ns", 10)]
    [InlineData("0", 0)]
    [InlineData("2500", 25)]                     // bare integer: nanoseconds
    [InlineData("1h0m0.000000001s", TimeSpan.TicksPerHour)]   // below a tick: truncated
    public void Parses_go_durations(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), GoDuration.Parse(text));
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("10 s")]
    [InlineData(" 10s")]
    [InlineData("10x")]
    [InlineData("10S")]
    [InlineData("1.5")]
    [InlineData("10s5")]
    [InlineData("ten seconds")]
    [InlineData("3000000h")]                  // beyond 64-bit nanoseconds, as in Go
    [InlineData("99999999999999999999ns")]
    [InlineData("99999999999999999999")]
    public void Rejects_invalid_durations(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
        if (text is not null)
        {
            var error = Assert.Throws<FormatException>(() => GoDuration.Parse(text));
            Assert.Contains($"'{text}'", error.Message);
        }
    }
}
