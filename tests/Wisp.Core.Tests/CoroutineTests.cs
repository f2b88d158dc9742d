namespace Wisp.Tests;

/// <summary>Coroutines of one process: start order, cooperative interleaving, failure, and the end of main.</summary>
public class CoroutineTests
{
    [Fact]
    public async Task Go_runs_the_new_coroutine_before_the_spawner_continues()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var log = new List<string>();
            var done = p.NewChannel<bool>(2);
            log.Add("main:before");
            p.Go(async () =>
            {
                log.Add("co1:start");
                p.Go(async () =>
                {
                    log.Add("co2:start");
                    await Task.Yield();
                    log.Add("co2:resumed");
                    done.TrySend(true);
                });
                log.Add("co1:after-go");
                await Task.Yield();
                log.Add("co1:resumed");
                done.TrySend(true);
            });
            log.Add("main:after-go");
            await done.Receive();
            await done.Receive();
            return string.Join(",", log);
        });
        Assert.Equal("main:before,co1:start,co2:start,co1:after-go,main:after-go,co2:resumed,co1:resumed", value);
    }

    [Fact]
    public async Task Woken_coroutines_run_in_wake_up_order()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var gate = p.NewChannel<int>();
            var log = new List<int>();
            var done = p.NewChannel<bool>(5);
            for (int i = 0; i < 5; i++)
            {
                int who = i;
                p.Go(async () =>
                {
                    await gate.Receive();
                    log.Add(who);
                    done.TrySend(true);
                });
            }
            gate.Close();                                        // wakes all five, in parking order
            for (int i = 0; i < 5; i++) await done.Receive();
            return string.Join(",", log);
        });
        Assert.Equal("0,1,2,3,4", value);
    }

    [Fact]
    public async Task Coroutines_interleave_only_at_awaits()
    {
        const int Coroutines = 8, Iterations = 400;
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            int counter = 0, inside = 0, overlaps = 0;
            var done = p.NewChannel<bool>(Coroutines);
            var relay = p.NewChannel<int>();
            for (int k = 0; k < Coroutines; k++)
            {
                int who = k;
                p.Go(async () =>
                {
                    for (int i = 0; i < Iterations; i++)
                    {
                        // a read-modify-write spread over time, with no await inside: never torn
                        if (++inside != 1) overlaps++;
                        int seen = counter;
                        Thread.SpinWait(20);
                        counter = seen + 1;
                        inside--;
                        switch ((i + who) % 4)
                        {
                            case 0: await Task.Yield(); break;                         // posted back to the loop
                            case 1: await Task.Delay(i % 50 == 0 ? 1 : 0); break;      // completes on another thread
                            case 2: if (!relay.TrySend(i)) relay.TryReceive(out _, out _); break;
                            default: await p.Sleep(TimeSpan.FromTicks(1)); break;
                        }
                    }
                    done.TrySend(true);
                });
            }
            for (int k = 0; k < Coroutines; k++) await done.Receive();
            Assert.Equal(0, overlaps);
            return counter;
        });
        Assert.Equal(Coroutines * Iterations, value);
    }

    [Fact]
    public async Task Yielding_in_a_loop_lets_woken_coroutines_run()
    {
        var node = new TestNode();
        var (pid, exit) = await node.Start(async p =>
        {
            bool stop = false;
            var wake = p.NewChannel<int>();
            var done = p.NewChannel<int>(1);
            p.Go(async () =>
            {
                await wake.Receive();
                stop = true;                                      // the spinner must see this
            });
            p.Go(async () =>
            {
                int spins = 0;
                while (!stop)
                {
                    await Task.Yield();
                    spins++;
                }
                done.TrySend(spins);
            });
            wake.TrySend(1);                                      // the first coroutine is ready to run
            return (await done.Receive()).Value;
        });
        var finished = await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(5)));
        if (finished != exit) node.Node.Terminate(pid);           // the spinner never let the other one run
        var result = await exit;
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Coroutines_share_memory_through_a_channel_pipeline()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var numbers = p.NewChannel<int>();
            var squares = p.NewChannel<int>(2);
            p.Go(async () =>
            {
                for (int i = 1; i <= 10; i++) await numbers.Send(i);
                numbers.Close();
            });
            p.Go(async () =>
            {
                while (true)
                {
                    var (n, ok) = await numbers.Receive();
                    if (!ok) break;
                    await squares.Send(n * n);
                }
                squares.Close();
            });
            int sum = 0;
            while (true)
            {
                var (sq, ok) = await squares.Receive();
                if (!ok) break;
                sum += sq;
            }
            return sum;
        });
        Assert.Equal(385, value);
    }

    [Fact]
    public async Task Exception_in_a_coroutine_fails_the_process()
    {
        var node = new TestNode();
        bool mainWentOn = false;
        var result = await node.Run(async p =>
        {
            p.Go(async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("boom in coroutine");
            });
            await p.Inbox.Next();                                 // never comes
            mainWentOn = true;
            return "unreachable";
        });
        Assert.NotNull(result.Error);
        Assert.Contains("boom in coroutine", result.Error.Message);
        Assert.IsType<InvalidOperationException>(result.Error.Exception);
        Assert.Null(result.Value);
        Assert.False(mainWentOn);
    }

    [Fact]
    public async Task Exception_before_a_coroutines_first_await_fails_the_process()
    {
        var node = new TestNode();
        bool mainWentOn = false;
        var result = await node.Run(p =>
        {
            p.Go(() => throw new InvalidOperationException("boom at start"));
            mainWentOn = true;
            return Task.FromResult<object?>("unreachable");
        });
        Assert.NotNull(result.Error);
        Assert.Contains("boom at start", result.Error.Message);
        Assert.False(mainWentOn);
    }

    [Fact]
    public async Task Exception_in_a_coroutine_wakes_nobody_else()
    {
        var node = new TestNode();
        var ran = new List<string>();
        var result = await node.Run(async p =>
        {
            var ch = p.NewChannel<int>();
            p.Go(async () =>
            {
                await ch.Receive();
                lock (ran) ran.Add("receiver");
            });
            p.Go(async () =>
            {
                await Task.Yield();
                ch.TrySend(1);                                    // wakes the receiver ...
                throw new InvalidOperationException("fail");      // ... but the process fails first
            });
            await p.NewChannel<int>().Receive();
            return null;
        });
        Assert.Equal("fail", result.Error?.Message);
        lock (ran) Assert.Empty(ran);
    }

    [Fact]
    public async Task When_main_returns_a_woken_coroutine_never_runs()
    {
        var node = new TestNode();
        int coroutineRan = 0;
        var result = await node.Run(p =>
        {
            var ch = p.NewChannel<int>(1);
            p.Go(async () =>
            {
                await ch.Receive();
                Interlocked.Exchange(ref coroutineRan, 1);
            });
            ch.TrySend(1);                                        // main's last act wakes the coroutine
            return Task.FromResult<object?>("main-done");
        });
        Assert.Equal("main-done", result.Value);
        Assert.Equal(0, Volatile.Read(ref coroutineRan));
    }

    [Fact]
    public async Task When_main_returns_sleeping_and_awaiting_coroutines_never_resume()
    {
        var time = new ManualTime();
        var node = new TestNode(time: time);
        var awaited = new TaskCompletionSource();               // completed by the test once the child has exited
        int resumed = 0;
        var value = await node.Value(async p =>
        {
            var self = p.Pid;
            var child = p.Spawn(async c =>
            {
                c.Go(async () =>
                {
                    await c.Sleep(TimeSpan.FromMilliseconds(50));
                    Interlocked.Increment(ref resumed);
                    c.Send(self, "late-sleep");
                });
                c.Go(async () =>
                {
                    await awaited.Task;
                    Interlocked.Increment(ref resumed);
                    c.Send(self, "late-await");
                });
                await Task.Yield();
                return "child-done";
            }, SpawnOptions.Monitored);
            var exit = await p.Events.Next();
            Assert.Equal("child-done", exit.Result!.Value);
            time.Advance(TimeSpan.FromSeconds(1));              // past the sleeper's due time
            awaited.SetResult();                                 // posts the awaiter's continuation to the exited child, here
            await p.NoMessageBeforeMarker();
            return "ok";
        });
        Assert.Equal("ok", value);
        Assert.Equal(0, Volatile.Read(ref resumed));
    }

    [Fact]
    public async Task Go_after_main_returned_is_refused()
    {
        var node = new TestNode();
        ProcessContext saved = default;
        var result = await node.Run(p =>
        {
            saved = p;
            return Task.FromResult<object?>(null);
        });
        Assert.Null(result.Error);
        var e = Assert.Throws<ProcessExitedException>(() => saved.Go(() => Task.CompletedTask));
        Assert.Equal(ErrorKind.InvalidState, e.Kind);
        Assert.Throws<ProcessExitedException>(() => saved.NewChannel<int>());
    }

    [Fact]
    public async Task Operations_off_the_loop_are_refused()
    {
        var node = new TestNode();
        var result = await node.Run(async p =>
        {
            await Task.Delay(1).ConfigureAwait(false);              // continues on a pool thread
            p.Send(p.Pid, "t");
            return "unreachable";
        });
        Assert.Equal(ErrorKind.InvalidState, result.Error?.Kind);
        Assert.Contains("own loop", result.Error?.Message);
    }

    [Fact]
    public async Task Main_that_leaves_another_synchronization_context_current_still_ends_with_its_value()
    {
        // Main's end is observed through the loop's context. An async body cannot leave another context current
        // (its builder restores the caller's), but a body that returns a task without being async can.
        var node = new TestNode();
        var value = await node.Value(p =>
        {
            var main = WaitForOwnMessage(p);
            SynchronizationContext.SetSynchronizationContext(new PoolContext());
            return main;
        });
        Assert.Equal(7, value);

        static async Task<object?> WaitForOwnMessage(ProcessContext p)
        {
            p.Send(p.Pid, "t", 7);
            var (message, _) = await p.Inbox.Receive();   // parks: the message is routed in a later round
            return message.Payload<int>();
        }
    }

    [Fact]
    public async Task Main_still_ends_with_its_value_when_a_posted_callback_left_another_context_current()
    {
        // A callback posted to the process leaves a foreign context current for the rest of the slice; main then
        // ends under it, so its completion is posted, and must still find its process.
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            SynchronizationContext.Current!.Post(_ => SynchronizationContext.SetSynchronizationContext(new PoolContext()), null);
            await Task.Yield();
            return 7;
        });
        Assert.Equal(7, value);
    }

    private sealed class PoolContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => ThreadPool.QueueUserWorkItem(_ => d(state));
    }

    [Fact]
    public async Task Exception_in_async_void_code_fails_the_process_not_the_node()
    {
        var node = new TestNode();
        var result = await node.Run(async p =>
        {
            Action handler = async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async void broke");
            };
            handler();
            await p.NewChannel<int>().Receive();
            return null;
        });
        Assert.Equal("async void broke", result.Error?.Message);
        Assert.Equal(42, await node.Value(_ => Task.FromResult<object?>(42)));   // the node goes on
    }
}
