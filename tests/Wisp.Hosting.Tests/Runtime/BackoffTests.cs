using Wisp.Hosting;
using Wisp.Hosting.Entries;

namespace Wisp.Tests.Runtime;

public class BackoffTests
{
    private static readonly RestartPolicy Default = RestartPolicy.Default;

    [Fact]
    public void Default_policy_doubles_from_one_second_and_caps_at_ninety()
    {
        double[] expected = [1, 2, 4, 8, 16, 32, 64, 90, 90, 90];
        for (int n = 1; n <= expected.Length; n++)
            Assert.Equal(TimeSpan.FromSeconds(expected[n - 1]), Backoff.Delay(Default, n, unitSample: 0.5));
    }

    [Fact]
    public void Many_failures_stay_at_the_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Backoff.Delay(Default, 1000, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(90), Backoff.Delay(Default, int.MaxValue, 0.5));
    }

    [Fact]
    public void Failures_below_one_count_as_the_first_restart()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(Default, 0, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(Default, -3, 0.5));
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 4.0)]
    [InlineData(12, 90.0)]
    public void Jitter_spreads_by_ten_percent_either_way(int failures, double baseSeconds)
    {
        var low = Backoff.Delay(Default, failures, 0.0);
        var high = Backoff.Delay(Default, failures, 0.999999);
        Assert.Equal(baseSeconds * 0.9 * 1000, low.TotalMilliseconds, precision: 3);
        Assert.InRange(high.TotalMilliseconds, baseSeconds * 1.1 * 1000 - 1, baseSeconds * 1.1 * 1000);
        for (double sample = 0; sample < 1; sample += 0.05)
            Assert.InRange(Backoff.Delay(Default, failures, sample).TotalMilliseconds, baseSeconds * 900 - 1e-6, baseSeconds * 1100 + 1e-6);
    }

    [Fact]
    public void Jitter_is_monotonic_in_the_sample()
    {
        var previous = TimeSpan.Zero;
        for (double sample = 0; sample < 1; sample += 0.1)
        {
            var delay = Backoff.Delay(Default, 2, sample);
            Assert.True(delay >= previous);
            previous = delay;
        }
    }

    [Fact]
    public void Custom_policy_uses_its_initial_factor_cap_and_jitter()
    {
        var policy = new RestartPolicy(
            InitialDelay: TimeSpan.FromMilliseconds(10), MaxDelay: TimeSpan.FromMilliseconds(50),
            BackoffFactor: 3, Jitter: 0.5, MaxAttempts: 4);
        Assert.Equal(10, Backoff.Delay(policy, 1, 0.5).TotalMilliseconds, precision: 6);
        Assert.Equal(30, Backoff.Delay(policy, 2, 0.5).TotalMilliseconds, precision: 6);
        Assert.Equal(50, Backoff.Delay(policy, 3, 0.5).TotalMilliseconds, precision: 6);   // 90 capped at 50
        Assert.Equal(5, Backoff.Delay(policy, 1, 0.0).TotalMilliseconds, precision: 6);    // −50%
        Assert.Equal(25, Backoff.Delay(policy, 3, 0.0).TotalMilliseconds, precision: 6);
        Assert.Equal(74.95, Backoff.Delay(policy, 3, 0.999).TotalMilliseconds, precision: 3); // +49.9%
    }

    [Fact]
    public void No_jitter_and_factor_one_give_a_fixed_delay()
    {
        var policy = new RestartPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(90), BackoffFactor: 1, Jitter: 0, MaxAttempts: 0);
        foreach (var sample in new[] { 0.0, 0.3, 0.999 })
            for (int n = 1; n < 20; n++)
                Assert.Equal(TimeSpan.FromSeconds(2), Backoff.Delay(policy, n, sample));
    }

    [Fact]
    public void Zero_initial_delay_restarts_at_once()
    {
        var policy = Default with { InitialDelay = TimeSpan.Zero };
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(policy, 1, 0.0));
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(policy, 5, 0.999));
    }

    [Fact]
    public void Full_jitter_never_goes_negative()
    {
        var policy = Default with { Jitter = 1 };
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(policy, 1, 0.0));
        Assert.Equal(2000, Backoff.Delay(policy, 1, 1.0).TotalMilliseconds, precision: 6);
    }
}
