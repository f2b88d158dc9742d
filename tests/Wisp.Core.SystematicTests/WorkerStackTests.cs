using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(n) A worker's own stack: its owner pushing and popping while other workers steal half of it.</summary>
public class WorkerStackTests(ITestOutputHelper output)
{
    /// <summary>
    /// A worker's stack holds six items; its owner pops, pushes two more and pops again while two other workers each
    /// steal half of it into their own stacks (one of them twice), then every stack is emptied. Every item is taken
    /// exactly once (the owner's pop may find its stack emptied by the thieves): a steal that sized its half outside the
    /// lock could take slots the owner had emptied meanwhile, and an item would be lost or taken twice.
    /// </summary>
    [Fact]
    public void Steals_of_half_racing_the_owner_take_every_item_exactly_once() =>
        Systematic.Check(output, async () =>
        {
            var owner = new WorkerStack();
            var thieves = new[] { new WorkerStack(), new WorkerStack() };
            for (int i = 0; i < 6; i++) owner.Push(new Item(i));
            var taken = new List<IThreadPoolWorkItem?>[3];

            await Task.WhenAll(
                Task.Run(() =>
                {
                    taken[0] = [owner.PopNewest()];
                    owner.Push(new Item(6));
                    owner.Push(new Item(7));
                    taken[0].Add(owner.PopNewest());
                }),
                Task.Run(() => taken[1] = Steal(owner, thieves[0], times: 2)),
                Task.Run(() => taken[2] = Steal(owner, thieves[1], times: 1)));

            var all = taken.SelectMany(t => t).Concat(Drain(owner)).Concat(thieves.SelectMany(Drain)).ToList();
            var ids = all.OfType<Item>().Select(i => i.Id).OrderBy(i => i).ToList();
            Specification.Assert(ids.SequenceEqual(Enumerable.Range(0, 8)), "items taken: {0} (expected 0–7, each once)", string.Join(",", ids));
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>What a thief runs: each steal's first item now (kept), the rest left on its own stack.</summary>
    private static List<IThreadPoolWorkItem?> Steal(WorkerStack victim, WorkerStack thief, int times)
    {
        var buffer = new IThreadPoolWorkItem?[128];
        var run = new List<IThreadPoolWorkItem?>();
        for (int i = 0; i < times; i++)
            if (victim.StealHalf(thief, buffer) is { } item) run.Add(item);
        Specification.Assert(buffer.All(b => b is null), "the steal buffer keeps an item");
        return run;
    }

    private static IEnumerable<IThreadPoolWorkItem?> Drain(WorkerStack stack)
    {
        while (stack.PopNewest() is { } item) yield return item;
    }

    private sealed class Item(int id) : IThreadPoolWorkItem
    {
        public int Id => id;
        public void Execute() { }
    }
}
