namespace Wisp.Tests;

/// <summary>The node's paged table of live processes (ProcessTable.cs), alone and under racing adds and removes.</summary>
public class ProcessTableTests
{
    private static readonly Node Owner = new();
    private static readonly Host Host = Owner.AddHost("app:table");
    private static readonly ProcessDefinition Body = ProcessDefinition.FromBody("", _ => Task.FromResult<object?>(null));

    private static Process NewProcess(ulong id) => new(Host, new Pid("", Host.Id, id), Body, []);

    [Fact]
    public void Finds_what_was_added_until_it_is_removed()
    {
        var table = new ProcessTable();
        var processes = Enumerable.Range(0, 200).Select(_ => NewProcess(table.NewId())).ToList();
        foreach (var process in processes) table.Add(process);

        Assert.Equal(200, table.Count);
        Assert.All(processes, p => Assert.Same(p, table.Find(p.Pid.Id)));
        Assert.Null(table.Find(201));
        Assert.Equal(processes.Select(p => p.Pid.Id).Order(), table.Snapshot().Select(p => p.Pid.Id).Order());

        foreach (var process in processes.Where(p => p.Pid.Id % 2 == 0)) table.Remove(process);
        table.Remove(processes[0]);   // id 1
        table.Remove(processes[0]);   // a second remove changes nothing

        Assert.Equal(99, table.Count);
        Assert.Null(table.Find(2));
        Assert.Null(table.Find(1));
        Assert.Same(processes[2], table.Find(3));
    }

    [Fact]
    public async Task Ids_are_never_handed_out_twice_and_the_first_from_outside_processes_are_1_2_3()
    {
        // Processes spawning on every core take blocks of ids meanwhile; the spawns from outside have block 0 to themselves.
        const int Threads = 4, PerThread = 100_000;
        var table = new ProcessTable();
        var outside = new List<ulong>();
        var byCore = Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            var ids = new ulong[PerThread];
            for (int i = 0; i < PerThread; i++) ids[i] = table.NewId(byCore: true);
            return ids;
        })).ToArray();
        for (int i = 0; i < 1000; i++) outside.Add(table.NewId());
        var all = (await Task.WhenAll(byCore).WaitAsync(TestNode.Deadline)).SelectMany(ids => ids).Concat(outside).ToList();

        Assert.Equal(Enumerable.Range(1, IdBlocks.BlockSize - 1).Select(i => (ulong)i), outside.Take(IdBlocks.BlockSize - 1));
        Assert.Equal(outside.Order(), outside);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain(0UL, all);
    }

    [Fact]
    public void A_page_emptied_before_its_last_id_is_out_still_takes_that_id()
    {
        var table = new ProcessTable();
        var first = NewProcess(table.NewId());   // id 1: page 0 covers ids 0–63
        table.Add(first);
        table.Remove(first);                       // page 0 is empty but ids 2–63 are still to come
        var later = new List<Process>();
        for (int i = 0; i < 70; i++) later.Add(NewProcess(table.NewId()));
        foreach (var process in later) table.Add(process);
        Assert.All(later, p => Assert.Same(p, table.Find(p.Pid.Id)));
        foreach (var process in later) table.Remove(process);
        Assert.Equal(0, table.Count);
        Assert.Empty(table.Snapshot());
    }

    /// <summary>
    /// At most one page stays in an empty table for each slot of <see cref="IdBlocks"/> still handing out ids of it:
    /// the outside slot, and one a core when processes spawn.
    /// </summary>
    private static int PagesLeftAtMost(bool byCore) => byCore ? Environment.ProcessorCount + 1 : 1;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Racing_adds_and_removes_never_lose_a_live_process(bool byCore)
    {
        // Ids are taken in one order and added in another, pages die and are made again meanwhile: every
        // process added must be found until its own removal, and the table must end empty.
        const int Threads = 4, PerThread = 50_000;
        var table = new ProcessTable();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var rng = new Random(t);
            var held = new List<Process>();
            for (int i = 0; i < PerThread; i++)
            {
                var process = NewProcess(table.NewId(byCore));
                if (rng.Next(4) == 0) Thread.Yield();   // an id out but not yet added while others empty its page
                table.Add(process);
                held.Add(process);
                if (held.Count > 8 || rng.Next(3) == 0)
                {
                    var leaving = held[rng.Next(held.Count)];
                    held.Remove(leaving);
                    if (table.Find(leaving.Pid.Id) != leaving) failures.Enqueue($"lost {leaving.Pid} before its removal");
                    table.Remove(leaving);
                    if (table.Find(leaving.Pid.Id) is not null) failures.Enqueue($"{leaving.Pid} still found after its removal");
                }
            }
            foreach (var process in held)
            {
                if (table.Find(process.Pid.Id) != process) failures.Enqueue($"lost {process.Pid} before its removal");
                table.Remove(process);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TestNode.Deadline);
        Assert.Empty(failures);
        Assert.Equal(0, table.Count);
        Assert.Empty(table.Snapshot());
        Assert.True(table.PageCount <= PagesLeftAtMost(byCore), $"{table.PageCount} pages left: every page no slot hands out ids of is empty");
    }

    [Fact]
    public async Task A_spawn_its_definition_refuses_leaves_no_empty_page_behind()
    {
        // The refused spawn takes the last id of block 0 after every other process of page 0 has exited: no exit is
        // left to retire the page, so the spawn must.
        var node = new Node();
        node.AddHost("app:table");
        var ended = new List<Task<ExitResult>>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);   // none ends before it is watched
        for (ulong id = 1; id < 63; id++)
        {
            var pid = node.Spawn("app:table", async _ =>
            {
                await go.Task;
                return null;
            });
            Assert.Equal(id, pid.Id);
            ended.Add(node.WhenExited(pid));
        }
        go.SetResult();
        await Task.WhenAll(ended).WaitAsync(TestNode.Deadline);
        Assert.Equal(1, node.ProcessTablePages);

        var refused = Assert.Throws<WispException>(() => node.Spawn(new Refusing(), "app:table"));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        Assert.Equal(0, node.ProcessTablePages);
        Assert.Equal(64ul, node.Spawn("app:table", _ => Task.FromResult<object?>(null)).Id);   // the next block
    }

    private sealed class Refusing() : ProcessDefinition("test:refusing")
    {
        public override IWorkScheduler SchedulerFor(Host host, Pid pid) =>
            throw new WispException(ErrorKind.Unavailable, "no scheduler for this process");

        public override Task<object?> Run(ProcessContext process, object?[] args) => Task.FromResult<object?>(null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pages_do_not_pile_up_under_spawn_and_exit_churn(bool byCore)
    {
        // Short-lived processes on many threads: the last exit from a page races the handing out of its last
        // id. Whichever comes last must see the other, or an empty page stays in the table for good.
        const int Threads = 8, PerThread = 250_000;
        var table = new ProcessTable();
        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                var process = NewProcess(table.NewId(byCore));
                table.Add(process);
                table.Remove(process);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TestNode.Deadline);
        Assert.Equal(0, table.Count);
        Assert.True(table.PageCount <= PagesLeftAtMost(byCore), $"{table.PageCount} empty pages left behind");
        // Nor in the recent-page array, where a dead page would outlive its processes long enough to be copied into gen 2.
        Assert.Equal(0, table.StaleRecentPages);
    }
}
