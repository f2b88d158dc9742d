namespace Wisp.Tests;

/// <summary>Exit results, cancel (cooperative) and terminate (forced).</summary>
public class ControlTests
{
    [Fact]
    public async Task Main_return_value_is_the_exit_value()
    {
        var node = new TestNode();
        var result = await node.Run(async p =>
        {
            await Task.Yield();
            return new[] { 1, 2, 3 };
        });
        Assert.False(result.IsError);
        Assert.Equal([1, 2, 3], (int[])result.Value!);
        Assert.Null(await node.Value(_ => Task.FromResult<object?>(null)));
    }

    [Fact]
    public async Task Throwing_is_an_error_exit_with_the_message()
    {
        var node = new TestNode();
        var result = await node.Run(async p =>
        {
            await Task.Yield();
            throw new InvalidOperationException("main broke");
        });
        Assert.True(result.IsError);
        Assert.Null(result.Value);
        Assert.Equal("main broke", result.Error!.Message);
        Assert.IsType<InvalidOperationException>(result.Error.Exception);
        Assert.Equal(ErrorKind.Internal, result.Error.Kind);
    }

    [Fact]
    public async Task Synchronous_throw_from_main_is_an_error_exit()
    {
        var node = new TestNode();
        var result = await node.Run(_ => throw new ArgumentException("sync throw"));
        Assert.Equal("sync throw", result.Error?.Message);
    }

    [Fact]
    public async Task Wisp_exception_keeps_its_kind()
    {
        var node = new TestNode();
        var result = await node.Run(p =>
        {
            p.Send("nobody", "t");
            return Task.FromResult<object?>(null);
        });
        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal("could not resolve 'nobody' as PID or registered name", result.Error?.Message);
    }

    [Fact]
    public async Task Returning_a_process_error_is_an_error_exit()
    {
        var node = new TestNode();
        var error = new ProcessError("declared failure", ErrorKind.Invalid, Retryable: false);
        var result = await node.Run(_ => Task.FromResult<object?>(error));
        Assert.True(result.IsError);
        Assert.Null(result.Value);
        Assert.Equal("declared failure", result.Error!.Message);
        Assert.Equal(ErrorKind.Invalid, result.Error.Kind);
        Assert.False(result.Error.Retryable);
    }

    [Fact]
    public async Task Cancel_delivers_a_cancel_event_with_reason_and_sender()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var before = p.Now;
            var target = p.Spawn(async c =>
            {
                var ev = await c.Events.Next();
                return ev;
            }, SpawnOptions.Monitored);
            p.Cancel(target, "please stop");
            var exit = await p.Events.Next();
            var cancel = (ProcessEvent)exit.Result!.Value!;
            Assert.Equal(EventKind.Cancel, cancel.Kind);
            Assert.Equal("pid.cancel", cancel.KindName);
            Assert.Equal("please stop", cancel.Reason);
            Assert.Equal(p.Pid, cancel.From);
            Assert.Null(cancel.Result);
            Assert.InRange(cancel.At, before, p.Now);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Cancel_from_outside_comes_from_no_process()
    {
        var node = new TestNode();
        var (pid, exit) = await node.Start(async p => await p.Events.Next());
        node.Node.Cancel(pid, "shutdown");
        var ev = (ProcessEvent)(await exit).Value!;
        Assert.Equal(Pid.None, ev.From);
        Assert.Equal("shutdown", ev.Reason);
        Assert.Equal("{|}", ev.From.ToString());
    }

    [Fact]
    public async Task Process_that_ignores_events_keeps_running_after_cancel()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var target = p.Spawn(async c =>
            {
                while (true)
                {
                    var m = await c.Inbox.Next();
                    c.Send(m.From, "pong", m.Payload<int>());
                }
            }, SpawnOptions.Monitored);
            p.Cancel(target, "stop please");
            p.Cancel(target, "really");
            p.Send(target, "ping", 1);
            var pong = await p.Inbox.Next();
            Assert.Equal(1, pong.Payload<int>());
            Assert.True(p.Node.IsAlive(target));
            p.Terminate(target);
            var exit = await p.Events.Next();
            return exit.Result!.Error!.Message;
        });
        Assert.Equal("process terminated", value);
    }

    [Fact]
    public async Task Terminate_ends_a_process_blocked_on_a_receive()
    {
        var node = new TestNode();
        bool wentOn = false;
        var value = await node.Value(async p =>
        {
            var target = p.Spawn(async c =>
            {
                await c.Inbox.Next();
                wentOn = true;
                return "received";
            }, SpawnOptions.Monitored);
            p.Terminate(target);
            var ev = await p.Events.Next();
            Assert.Equal(target, ev.From);
            Assert.False(p.Node.IsAlive(target));
            return ev.Result!.Error!.Message;
        });
        Assert.Equal("process terminated", value);
        Assert.False(wentOn);
    }

    [Fact]
    public async Task Terminate_ends_a_busy_process_with_coroutines()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var target = p.Spawn(async c =>
            {
                for (int i = 0; i < 4; i++) c.Go(async () => { while (true) await Task.Yield(); });
                await c.NewChannel<int>().Receive();
                return null;
            }, SpawnOptions.Monitored);
            p.Terminate(target);
            var ev = await p.Events.Next();
            return ev.Result!.Error!.Message;
        });
        Assert.Equal("process terminated", value);
    }

    [Fact]
    public async Task Terminate_or_cancel_of_a_dead_pid_is_process_not_found()
    {
        var node = new TestNode();
        await node.Value(async p =>
        {
            var dead = p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            await p.Events.Next();
            var t = Assert.Throws<WispException>(() => p.Terminate(dead));
            Assert.Equal(ErrorKind.NotFound, t.Kind);
            Assert.Contains("process not found", t.Message);
            var c = Assert.Throws<WispException>(() => p.Cancel(dead, "late"));
            Assert.Contains("process not found", c.Message);
            return null;
        });
        Assert.Throws<WispException>(() => node.Node.Terminate(new Pid("", TestNode.HostId, 0xfff00)));
    }

    [Fact]
    public async Task TryTerminate_and_TryCancel_say_whether_the_process_was_there()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var live = p.Spawn(async c => (await c.Events.Next()).Reason, SpawnOptions.Monitored);
            var busy = p.Spawn(async c => { await c.Inbox.Next(); return null; }, SpawnOptions.Monitored);
            Assert.True(p.Node.TryCancel(live, "asked", p.Pid));
            Assert.True(p.Node.TryTerminate(busy));
            var exits = new Dictionary<Pid, ExitResult>();
            for (int i = 0; i < 2; i++)
            {
                var e = await p.Events.Next();
                exits[e.From] = e.Result!;
            }
            Assert.Equal("process terminated", exits[busy].Error?.Message);
            Assert.False(p.Node.TryCancel(live, "late"));
            Assert.False(p.Node.TryTerminate(busy));
            return exits[live].Value;
        });
        Assert.Equal("asked", value);
    }

    [Fact]
    public async Task Exited_process_is_no_longer_alive_or_counted()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c => { await c.Inbox.Next(); return null; }, SpawnOptions.Monitored);
            Assert.True(p.Node.IsAlive(child));
            Assert.Contains(child, p.Node.ProcessesOn(TestNode.HostId));
            p.Send(child, "go");
            await p.Events.Next();
            Assert.False(p.Node.IsAlive(child));
            Assert.DoesNotContain(child, p.Node.ProcessesOn(TestNode.HostId));
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Canceled_task_is_an_error_exit()
    {
        var node = new TestNode();
        var result = await node.Run(async p =>
        {
            await Task.Yield();
            throw new OperationCanceledException();
        });
        Assert.Equal("process canceled", result.Error?.Message);
    }

    [Fact]
    public async Task Stopping_a_host_cancels_then_terminates_and_refuses_new_spawns()
    {
        const string Workers = "app:workers";
        var node = new TestNode();
        node.Node.AddHost(Workers);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (_, cooperative) = await node.StartOn(Workers, async p =>
        {
            var events = p.Events;   // a process that has opened its events hears the CANCEL
            listening.SetResult();
            return await events.Next();
        });
        await listening.Task.WaitAsync(TestNode.Deadline);
        var (_, stubborn) = await node.StartOn(Workers, async p =>
        {
            while (true) await p.Inbox.Next();                     // never reads its events
        });
        // The stop timeout is how long the cooperative process may take to act on its CANCEL: generous, as a
        // loaded CI machine once took longer than 200 ms (the stubborn one is terminated when it runs out).
        await node.Node.StopHostAsync(Workers, TimeSpan.FromSeconds(3)).WaitAsync(TestNode.Deadline);

        var cancel = (ProcessEvent)(await cooperative).Value!;
        Assert.Equal(EventKind.Cancel, cancel.Kind);
        Assert.Equal("scheduler shutdown", cancel.Reason);
        Assert.Equal(Pid.None, cancel.From);
        Assert.Equal("process terminated", (await stubborn).Error?.Message);
        Assert.Empty(node.Node.ProcessesOn(Workers));
        var refused = Assert.Throws<WispException>(() => node.Node.Spawn(Workers, _ => Task.FromResult<object?>(null)));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        Assert.Contains("host is stopping", refused.Message);
        Assert.NotNull(await node.Value(_ => Task.FromResult<object?>("other hosts still run")));
    }
}
