using Wisp.Hosting;

namespace Wisp.Tests.Runtime;

public class ArgumentBinderTests
{
    [Theory]
    [InlineData(2.7, typeof(int))]
    [InlineData(true, typeof(int))]
    [InlineData("12", typeof(int))]
    [InlineData(12L, typeof(bool))]
    [InlineData(5_000_000_000L, typeof(int))]
    [InlineData(-1, typeof(uint))]
    [InlineData("not a pid", typeof(Pid))]
    [InlineData("ten seconds", typeof(TimeSpan))]
    [InlineData(2.5, typeof(float))]
    [InlineData(1e300, typeof(decimal))]
    [InlineData(double.NaN, typeof(decimal))]
    public void Lossy_or_meaningless_conversions_are_refused(object value, Type target) =>
        Assert.Null(ArgumentBinder.Convert(value, target));

    [Fact]
    public void Lossless_conversions_are_made()
    {
        Assert.Equal(12, ArgumentBinder.Convert(12L, typeof(int)));
        Assert.Equal(12L, ArgumentBinder.Convert(12, typeof(long)));
        Assert.Equal(12.0, ArgumentBinder.Convert(12L, typeof(double)));
        Assert.Equal(2.5, ArgumentBinder.Convert(2.5f, typeof(double)));
        Assert.Equal("12", ArgumentBinder.Convert(12L, typeof(string)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ArgumentBinder.Convert("1.5s", typeof(TimeSpan)));
        Assert.Equal(new Pid("", "app:processes", 4), ArgumentBinder.Convert("{app:processes|0x00004}", typeof(Pid)));
        Assert.Equal(DayOfWeek.Monday, ArgumentBinder.Convert("monday", typeof(DayOfWeek)));
        Assert.Equal(3, ArgumentBinder.Convert(3L, typeof(int?)));
    }
}
