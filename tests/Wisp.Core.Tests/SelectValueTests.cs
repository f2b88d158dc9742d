namespace Wisp.Tests;

/// <summary>Values of every shape come out of a select intact, typed or as an object.</summary>
public class SelectValueTests
{
    private readonly record struct Big(long A, long B, string C);

    private static async Task<(T Typed, object? Boxed)> RoundTrip<T>(T value)
    {
        var node = new TestNode();
        var result = await node.Value(async p =>
        {
            var ch = p.NewChannel<T>(1);
            await p.Select(ch.CaseSend(value));              // a send case carries the value in
            var r = await p.Select(ch.CaseReceive());        // a receive case carries it out
            return (r.ValueAs<T>(), r.Value);
        });
        return ((T, object?))result!;
    }

    [Fact]
    public async Task Small_value_types_travel_unboxed_and_box_on_demand()
    {
        Assert.Equal((42, (object?)42), await RoundTrip(42));
        Assert.Equal((-7L, (object?)-7L), await RoundTrip(-7L));
        Assert.Equal((true, (object?)true), await RoundTrip(true));
        Assert.Equal((2.5, (object?)2.5), await RoundTrip(2.5));
        Assert.Equal((DayOfWeek.Friday, (object?)DayOfWeek.Friday), await RoundTrip(DayOfWeek.Friday));
    }

    [Fact]
    public async Task References_and_large_structs_travel_as_objects()
    {
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal((at, (object?)at), await RoundTrip(at));
        var big = new Big(1, 2, "three");
        Assert.Equal((big, (object?)big), await RoundTrip(big));
        Assert.Equal(("text", (object?)"text"), await RoundTrip("text"));
        Assert.Equal(((string?)null, (object?)null), await RoundTrip<string?>(null));
    }

    [Fact]
    public async Task Asking_for_another_type_gives_its_default()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var ch = p.NewChannel<int>(1);
            ch.TrySend(5);
            var r = await p.Select(ch.CaseReceive());
            return (r.ValueAs<long>(), r.ValueAs<string>(), r.ValueAs<int>());
        });
        Assert.Equal((0L, (string?)null, 5), value);
    }
}
