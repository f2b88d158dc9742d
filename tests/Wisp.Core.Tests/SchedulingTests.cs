namespace Wisp.Tests;

/// <summary>
/// Where a process's next slice is queued (Scheduler.cs, Process.RunNext), checked deterministically: a scheduler
/// that, like the thread pool, keeps a worker's own queue (newest first, popped first) and a shared FIFO queue,
/// and runs slices one at a time on the test's thread.
/// </summary>
public class SchedulingTests
{
    private const string Host = "app:processes";

    [Fact]
    public void An_endless_hand_off_chain_lets_the_shared_queue_through()
    {
        var scheduler = new TwoQueueScheduler();
        var node = new Node(new NodeOptions { SchedulerFactory = _ => scheduler });
        node.AddHost(Host);
        var ponger = node.Spawn(Host, static async q =>
        {
            while (true) q.Send((await q.Inbox.Next()).From, "pong");
        });
        node.Spawn(Host, async q =>
        {
            q.Send(ponger, "ping");
            while (true)
            {
                await q.Inbox.Next();
                q.Send(ponger, "ping");
            }
        });
        bool heard = false;
        var listener = node.Spawn(Host, async p =>
        {
            await p.Inbox.Next();
            heard = true;
            return null;
        });
        node.Send(listener, "hello", null);

        int slices = 0;
        while (!heard && slices < 10_000 && scheduler.RunOne()) slices++;

        Assert.True(heard, $"the listener did not run in {slices} slices: the ping-pong kept its worker's own queue busy");
        Assert.True(scheduler.LocalRuns > 0, "the pair ran on the worker's own queue (hand-offs happened)");
    }

    [Fact]
    public void Spawned_children_run_next_and_depth_first()
    {
        var scheduler = new TwoQueueScheduler();
        var node = new Node(new NodeOptions { SchedulerFactory = _ => scheduler });
        node.AddHost(Host);
        var order = new List<string>();
        node.Spawn(Host, p =>
        {
            order.Add("root");
            for (int i = 0; i < 2; i++)
            {
                string name = $"child{i}";
                p.Spawn(c =>
                {
                    order.Add(name);
                    c.Spawn(_ =>
                    {
                        order.Add(name + ".grandchild");
                        return Task.FromResult<object?>(null);
                    });
                    return Task.FromResult<object?>(null);
                });
            }
            return Task.FromResult<object?>(null);
        });
        while (scheduler.RunOne()) { }
        // Newest first on the worker's own queue: the last child runs first and its grandchild before its sibling.
        Assert.Equal(["root", "child1", "child1.grandchild", "child0", "child0.grandchild"], order);
    }

    [Fact]
    public void A_server_with_requests_waiting_starts_its_handlers_in_turn()
    {
        // Four requests are in the server's inbox before it runs; it spawns a handler for each as it takes it. While
        // requests wait, each handler queues behind the others (newest first, the first request would be served
        // last); the handler of the last one, with nothing left waiting, runs next on the worker.
        var scheduler = new TwoQueueScheduler();
        var node = new Node(new NodeOptions { SchedulerFactory = _ => scheduler });
        node.AddHost(Host);
        var started = new List<int>();
        var server = node.Spawn(Host, async p =>
        {
            for (int i = 0; i < 4; i++)
            {
                int request = (await p.Inbox.Next()).Payload<int>();
                p.Spawn(_ =>
                {
                    started.Add(request);
                    return Task.FromResult<object?>(null);
                });
            }
            return null;
        });
        for (int i = 0; i < 4; i++) node.Send(server, "request", i);
        while (scheduler.RunOne()) { }
        Assert.Equal([3, 0, 1, 2], started);
    }

    [Fact]
    public void A_slice_yield_lets_the_waiting_processes_run_before_the_coroutine_resumes()
    {
        var scheduler = new TwoQueueScheduler();
        var node = new Node(new NodeOptions { SchedulerFactory = _ => scheduler });
        node.AddHost(Host);
        var order = new List<string>();
        node.Spawn(Host, async p =>
        {
            for (int i = 0; i < 3; i++)
            {
                order.Add($"busy{i}");
                await p.YieldSlice();
            }
            return null;
        });
        node.Spawn(Host, _ =>
        {
            order.Add("other");
            return Task.FromResult<object?>(null);
        });
        while (scheduler.RunOne()) { }
        // Without the yield ending the slice, the busy process would run all three rounds before the other.
        Assert.Equal(["busy0", "other", "busy1", "busy2"], order);
    }

    [Fact]
    public async Task A_definition_picks_the_scheduler_that_runs_its_processes_for_their_whole_life()
    {
        var hostScheduler = new TwoQueueScheduler();
        var own = new TwoQueueScheduler();
        var definition = new PinnedDefinition(own, async p =>
        {
            await p.Inbox.Next();
            return "done";
        });
        var node = new Node(new NodeOptions { SchedulerFactory = _ => hostScheduler, Catalog = new ProcessCatalog().Add(definition) });
        node.AddHost(Host);
        var (pid, exited) = node.SpawnWatched("pinned", Host);
        Assert.Equal(Host, pid.Host);
        Assert.True(own.RunOne(), "the first slice runs on the definition's scheduler");
        node.Send(pid, "wake", null);
        while (!exited.IsCompleted)
        {
            Assert.False(hostScheduler.RunOne(), "nothing of the pinned process runs on the host's scheduler");
            Assert.True(own.RunOne(), "the wake-up is queued on the definition's scheduler");
        }
        Assert.Equal("done", (await exited).Value);
        Assert.Same(node.FindHost(Host), definition.AskedFor);
    }

    private sealed class PinnedDefinition : ProcessDefinition
    {
        private readonly IWorkScheduler _scheduler;
        private readonly ProcessBody _body;

        public PinnedDefinition(IWorkScheduler scheduler, ProcessBody body) : base("pinned")
        {
            _scheduler = scheduler;
            _body = body;
        }

        public Host? AskedFor { get; private set; }

        public override IWorkScheduler SchedulerFor(Host host, Pid pid)
        {
            AskedFor = host;
            return _scheduler;
        }

        public override Task<object?> Run(ProcessContext process, object?[] args) => _body(process);
    }

    /// <summary>One worker: its own queue (a stack, as the pool pops its local queue newest first) before the shared FIFO.</summary>
    private sealed class TwoQueueScheduler : IWorkScheduler
    {
        private readonly Stack<IThreadPoolWorkItem> _own = new();
        private readonly Queue<IThreadPoolWorkItem> _shared = new();

        public int LocalRuns { get; private set; }

        public void Schedule(IThreadPoolWorkItem work)
        {
            lock (_shared) _shared.Enqueue(work);
        }

        public void ScheduleNext(IThreadPoolWorkItem work)
        {
            lock (_shared) _own.Push(work);
        }

        public bool RunOne()
        {
            IThreadPoolWorkItem? work;
            lock (_shared)
            {
                if (_own.TryPop(out work)) LocalRuns++;
                else if (!_shared.TryDequeue(out work)) return false;
            }
            work.Execute();
            return true;
        }
    }
}
