namespace Wisp.Tests;

/// <summary>
/// Sleep, After, timers and tickers. Real-time tests assert only order and causality, never speed; the
/// deterministic ones run on <see cref="ManualTime"/>, whose clock moves only when the test says so.
/// </summary>
public class TimerTests
{
    // ---- real time ----

    [Fact]
    public async Task Sleep_suspends_only_the_calling_coroutine()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var log = new List<string>();
            var done = p.NewChannel<bool>(1);
            var ping = p.NewChannel<int>();
            p.Go(async () =>
            {
                log.Add("sleeper:start");
                await p.Sleep(TimeSpan.FromMilliseconds(300));
                log.Add("sleeper:woke");
                done.TrySend(true);
            });
            // meanwhile, two other coroutines of the same process keep talking to each other
            p.Go(async () =>
            {
                for (int i = 0; i < 3; i++) await ping.Send(i);
            });
            for (int i = 0; i < 3; i++) log.Add($"main:got {(await ping.Receive()).Value}");
            await done.Receive();
            return string.Join(",", log);
        });
        Assert.Equal("sleeper:start,main:got 0,main:got 1,main:got 2,sleeper:woke", value);
    }

    [Fact]
    public async Task Sleep_of_zero_or_less_returns_at_once()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            Assert.True(p.Sleep(TimeSpan.Zero).IsCompleted);
            Assert.True(p.Sleep(TimeSpan.FromSeconds(-1)).IsCompleted);
            await p.Sleep(TimeSpan.Zero);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task After_delivers_once_then_the_channel_is_closed()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var before = p.Now;
            var ch = p.After(TimeSpan.FromMilliseconds(20));
            Assert.Equal(1, ch.Capacity);
            var (at, ok) = await ch.Receive();
            Assert.True(ok);
            Assert.True(at >= before, "the value is the firing time, not earlier than the call");
            Assert.True(ch.IsClosed);
            var (_, ok2) = await ch.Receive();
            Assert.False(ok2);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Non_positive_durations_are_invalid()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            Action[] calls =
            [
                () => p.After(TimeSpan.Zero),
                () => p.After(TimeSpan.FromSeconds(-1)),
                () => p.NewTimer(TimeSpan.Zero),
                () => p.NewTicker(TimeSpan.Zero),
                () => p.NewTimer(TimeSpan.FromSeconds(1)).Reset(TimeSpan.Zero),
            ];
            foreach (var call in calls)
            {
                var e = Assert.Throws<WispException>(call);
                Assert.Equal(ErrorKind.Invalid, e.Kind);
                Assert.Contains("duration must be > 0", e.Message);
            }
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Ticker_delivers_repeatedly_on_the_real_clock()
    {
        // The buffer's bound and the dropped ticks are proven on the manual clock (Ticker_drops_ticks_while_its_buffer_is_full).
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var ticker = p.NewTicker(TimeSpan.FromMilliseconds(1));
            Assert.Equal(Ticker.Capacity, ticker.Channel.Capacity);
            var last = DateTimeOffset.MinValue;
            for (int i = 0; i < 2 * Ticker.Capacity; i++)
            {
                var (at, ok) = await ticker.Channel.Receive();
                Assert.True(ok);
                Assert.True(at >= last);
                last = at;
            }
            ticker.Stop();
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Timer_fires_once_on_its_channel()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var timer = p.NewTimer(TimeSpan.FromMilliseconds(10));
            Assert.Same(timer.Channel, timer.Channel);
            var (_, ok) = await timer.Channel.Receive();
            Assert.True(ok);
            Assert.False(timer.Stop());                          // already fired
            Assert.False(timer.Channel.IsClosed);                // a timer's channel is not closed
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    // ---- deterministic, on a manual clock ----

    private sealed class Clocked
    {
        public ManualTime Time { get; } = new();
        public TestNode Node { get; }
        public Probe<string> Ready { get; } = new();
        public Clocked() => Node = new TestNode(time: Time);

        /// <summary>Waits for the process to reach a step, moves the clock, then lets the process go on.</summary>
        public async Task Step(Pid pid, string expected, TimeSpan advance)
        {
            Assert.Equal(expected, await Ready.Take());
            Time.Advance(advance);
            Node.Node.Send(pid, "go", null);                    // routed after every firing the advance posted
        }
    }

    [Fact]
    public async Task Ticker_drops_ticks_while_its_buffer_is_full()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var ticker = p.NewTicker(TimeSpan.FromSeconds(1));
            c.Ready.Put("ticking");
            await p.Inbox.Next();
            int count = ticker.Channel.Count;
            while (ticker.Channel.TryReceive(out _, out _)) { }
            c.Ready.Put("drained");
            await p.Inbox.Next();
            int after = ticker.Channel.Count;
            ticker.Stop();
            c.Ready.Put("stopped");
            await p.Inbox.Next();
            return $"{count},{after},{ticker.Channel.Count}";
        });
        await c.Step(pid, "ticking", TimeSpan.FromSeconds(100));
        await c.Step(pid, "drained", TimeSpan.FromSeconds(3));
        await c.Step(pid, "stopped", TimeSpan.FromSeconds(10));
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal("16,3,3", result.Value);                   // 100 ticks, 84 dropped; 3 more; none after Stop
    }

    [Fact]
    public async Task Ticks_carry_the_time_they_fired()
    {
        var c = new Clocked();
        using var gate = new ManualResetEventSlim();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var ticker = p.NewTicker(TimeSpan.FromSeconds(1));
            c.Ready.Put("ticking");
            gate.Wait(TestNode.Deadline);                        // a busy loop: the firings queue up meanwhile
            await p.Inbox.Next();
            var ticks = new List<DateTimeOffset>();
            while (ticker.Channel.TryReceive(out var at, out _)) ticks.Add(at);
            return ticks;
        });
        Assert.Equal("ticking", await c.Ready.Take());
        c.Time.Advance(TimeSpan.FromSeconds(3));
        gate.Set();
        c.Node.Node.Send(pid, "go", null);
        var result = await exit;
        Assert.Equal(
            [c.Time.Start.AddSeconds(1), c.Time.Start.AddSeconds(2), c.Time.Start.AddSeconds(3)],
            (List<DateTimeOffset>)result.Value!);
    }

    [Fact]
    public async Task After_fires_at_its_due_time_only_once_then_closes()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var ch = p.After(TimeSpan.FromSeconds(10));
            c.Ready.Put("armed");
            await p.Inbox.Next();
            Assert.False(ch.TryReceive(out _, out _));           // 9 s: not yet
            c.Ready.Put("not-yet");
            await p.Inbox.Next();
            Assert.True(ch.TryReceive(out var at, out var ok));
            Assert.True(ok);
            Assert.True(ch.TryReceive(out _, out var ok2));      // closed and drained
            Assert.False(ok2);
            return at;
        });
        await c.Step(pid, "armed", TimeSpan.FromSeconds(9));
        await c.Step(pid, "not-yet", TimeSpan.FromSeconds(1));
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal(c.Time.Start.AddSeconds(10), result.Value);
        Assert.Equal(0, c.Time.ArmedTimers);
    }

    [Fact]
    public async Task Each_after_is_an_independent_timer()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var a = p.After(TimeSpan.FromSeconds(2));
            var b = p.After(TimeSpan.FromSeconds(1));
            Assert.NotSame(a, b);
            c.Ready.Put("armed");
            await p.Inbox.Next();
            Assert.True(b.TryReceive(out _, out var bOk) && bOk);
            Assert.False(a.TryReceive(out _, out _));
            c.Ready.Put("one");
            await p.Inbox.Next();
            Assert.True(a.TryReceive(out _, out var aOk) && aOk);
            return "ok";
        });
        await c.Step(pid, "armed", TimeSpan.FromSeconds(1));
        await c.Step(pid, "one", TimeSpan.FromSeconds(1));
        Assert.Equal("ok", (await exit).Value);
    }

    [Fact]
    public async Task Timer_stopped_before_firing_delivers_nothing_and_can_be_reset()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var timer = p.NewTimer(TimeSpan.FromSeconds(10));
            Assert.True(timer.Stop());                            // pending: stopped
            Assert.False(timer.Stop());                           // already stopped
            c.Ready.Put("stopped");
            await p.Inbox.Next();
            Assert.False(timer.Channel.TryReceive(out _, out _)); // 20 s later: nothing
            timer.Reset(TimeSpan.FromSeconds(5));
            c.Ready.Put("reset");
            await p.Inbox.Next();
            Assert.True(timer.Channel.TryReceive(out var at, out var ok) && ok);
            Assert.False(timer.Stop());                           // fired: nothing to stop
            return at;
        });
        await c.Step(pid, "stopped", TimeSpan.FromSeconds(20));
        await c.Step(pid, "reset", TimeSpan.FromSeconds(5));
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal(c.Time.Start.AddSeconds(25), result.Value);
    }

    [Fact]
    public async Task Reset_of_a_pending_timer_moves_its_firing()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var timer = p.NewTimer(TimeSpan.FromSeconds(10));
            timer.Reset(TimeSpan.FromSeconds(20));
            c.Ready.Put("reset");
            await p.Inbox.Next();
            Assert.False(timer.Channel.TryReceive(out _, out _)); // the old due time passed: nothing
            c.Ready.Put("old-due-passed");
            await p.Inbox.Next();
            Assert.True(timer.Channel.TryReceive(out _, out _));
            Assert.False(timer.Channel.TryReceive(out _, out _)); // once
            return "ok";
        });
        await c.Step(pid, "reset", TimeSpan.FromSeconds(15));
        await c.Step(pid, "old-due-passed", TimeSpan.FromSeconds(10));
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal("ok", result.Value);
    }

    [Fact]
    public async Task Stopping_a_timer_whose_firing_is_already_queued_drops_that_firing()
    {
        var c = new Clocked();
        using var gate = new ManualResetEventSlim();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var timer = p.NewTimer(TimeSpan.FromSeconds(1));
            c.Ready.Put("armed");
            gate.Wait(TestNode.Deadline);                         // the firing is posted while we are busy
            bool stopped = timer.Stop();
            await p.Inbox.Next();
            return $"{stopped},{timer.Channel.TryReceive(out _, out _)}";
        });
        Assert.Equal("armed", await c.Ready.Take());
        c.Time.Advance(TimeSpan.FromSeconds(2));
        gate.Set();
        c.Node.Node.Send(pid, "go", null);
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal("True,False", result.Value);
    }

    [Fact]
    public async Task Sleepers_wake_in_due_order()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var log = new List<string>();
            var done = p.NewChannel<bool>(3);
            foreach (var (name, seconds) in new[] { ("a", 3), ("b", 1), ("c", 2) })
            {
                p.Go(async () =>
                {
                    await p.Sleep(TimeSpan.FromSeconds(seconds));
                    log.Add(name);
                    done.TrySend(true);
                });
            }
            c.Ready.Put("sleeping");
            await p.Inbox.Next();
            for (int i = 0; i < 3; i++) await done.Receive();
            return string.Join(",", log);
        });
        await c.Step(pid, "sleeping", TimeSpan.FromSeconds(10));
        Assert.Equal("b,c,a", (await exit).Value);
    }

    [Fact]
    public async Task Timers_of_an_exited_process_are_stopped()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            p.NewTicker(TimeSpan.FromSeconds(1));
            p.NewTimer(TimeSpan.FromSeconds(5));
            p.After(TimeSpan.FromSeconds(5));
            p.Go(async () => await p.Sleep(TimeSpan.FromSeconds(5)));
            c.Ready.Put($"{c.Time.ArmedTimers}");
            await p.Inbox.Next();
            return null;
        });
        Assert.Equal("4", await c.Ready.Take());
        c.Node.Node.Send(pid, "exit", null);
        Assert.Null((await exit).Error);
        Assert.Equal(0, c.Time.ArmedTimers);
        c.Time.Advance(TimeSpan.FromMinutes(1));                 // nothing fires into the dead process
    }

    [Fact]
    public async Task Firing_into_a_channel_its_owner_closed_is_dropped()
    {
        var c = new Clocked();
        var (pid, exit) = await c.Node.Start(async p =>
        {
            var after = p.After(TimeSpan.FromSeconds(1));
            var timer = p.NewTimer(TimeSpan.FromSeconds(1));
            var ticker = p.NewTicker(TimeSpan.FromSeconds(1));
            after.Close();
            timer.Channel.Close();
            ticker.Channel.Close();
            c.Ready.Put("closed");
            await p.Inbox.Next();
            return $"{after.Count},{timer.Channel.Count},{ticker.Channel.Count}";
        });
        await c.Step(pid, "closed", TimeSpan.FromSeconds(5));
        var result = await exit;
        Assert.Null(result.Error);
        Assert.Equal("0,0,0", result.Value);
    }

    [Fact]
    public async Task Long_durations_are_accepted()
    {
        var node = new TestNode();
        var value = await node.Value(p =>
        {
            var after = p.After(TimeSpan.FromDays(60));
            var timer = p.NewTimer(TimeSpan.FromDays(365));
            var ticker = p.NewTicker(TimeSpan.FromDays(100));
            _ = p.Sleep(TimeSpan.FromDays(60));
            Assert.False(after.TryReceive(out _, out _));
            Assert.True(timer.Stop());
            ticker.Stop();
            return Task.FromResult<object?>("ok");
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Timer_used_from_another_process_is_refused()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var timer = p.NewTimer(TimeSpan.FromSeconds(30));
            var ticker = p.NewTicker(TimeSpan.FromSeconds(30));
            var other = p.Spawn(async c =>
            {
                var m = await c.Inbox.Next();
                var (t, k) = m.Payload<(WispTimer, Ticker)>();
                var kinds = new List<ErrorKind>();
                foreach (var use in new Action[] { () => t.Stop(), () => t.Reset(TimeSpan.FromSeconds(1)), () => k.Stop() })
                    kinds.Add(Assert.Throws<WispException>(use).Kind);
                return string.Join(",", kinds);
            }, SpawnOptions.Monitored);
            p.Send(other, "timers", (timer, ticker));
            var exit = await p.Events.Next();
            Assert.True(timer.Stop());                                // still ours, still pending
            ticker.Stop();
            return exit.Result!.Value ?? exit.Result.Error?.Message;
        });
        Assert.Equal("InvalidState,InvalidState,InvalidState", value);
    }
}

/// <summary>What a process's timers hold after it: nothing, and a timer kept past the exit cannot be armed again.</summary>
public class TimerLifetimeTests
{
    [Fact]
    public async Task A_process_leaves_no_timer_behind_and_its_timers_cannot_be_reset_after_it_exits()
    {
        var time = new ManualTime();
        var node = new TestNode(time: time);
        var kept = await node.Value(p =>
        {
            var pending = p.NewTimer(TimeSpan.FromHours(1));
            _ = p.NewTicker(TimeSpan.FromMinutes(1));
            var stopped = p.NewTimer(TimeSpan.FromHours(2));
            stopped.Stop();
            _ = p.After(TimeSpan.FromHours(3));
            Assert.Equal(3, time.LiveTimers);   // the stopped one holds no timer of the clock
            return Task.FromResult<object?>(pending);
        });
        Assert.Equal(0, time.LiveTimers);
        Assert.Throws<ProcessExitedException>(() => ((WispTimer)kept!).Reset(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, time.LiveTimers);
    }
}
