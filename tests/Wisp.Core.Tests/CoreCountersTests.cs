using Xunit;

namespace Wisp.Tests;

public sealed class CoreCountersTests
{
    [Fact]
    public void Adds_from_many_threads_at_once_all_count_and_counters_stay_apart()
    {
        var counters = new CoreCounters(3);
        int threads = 4, adds = 100_000 * StressScale.Factor;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < adds; i++)
            {
                counters.Increment(0);
                counters.Add(2, 3);
                if (i % 2 == 0) counters.Add(0, -1);
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal((long)threads * adds / 2, counters.Read(0));
        Assert.Equal(0, counters.Read(1));
        Assert.Equal(3L * threads * adds, counters.Read(2));
    }
}
