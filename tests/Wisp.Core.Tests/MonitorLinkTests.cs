namespace Wisp.Tests;

/// <summary>Monitors (EXIT on every exit) and links (LINK_DOWN on error exits; trap_links).</summary>
public class MonitorLinkTests
{
    private static Task<object?> WaitForever(ProcessContext c) => c.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);

    [Fact]
    public async Task SpawnMonitored_gets_exit_with_the_value_on_normal_exit()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var before = p.Now;
            var child = p.Spawn(_ => Task.FromResult<object?>(42), SpawnOptions.Monitored);
            var ev = await p.Events.Next();
            Assert.Equal(EventKind.Exit, ev.Kind);
            Assert.Equal("pid.exit", ev.KindName);
            Assert.Equal(child, ev.From);
            Assert.InRange(ev.At, before, p.Now);
            Assert.NotNull(ev.Result);
            Assert.Null(ev.Result.Error);
            Assert.False(ev.Result.IsError);
            Assert.Null(ev.Reason);
            return ev.Result.Value;
        });
        Assert.Equal(42, value);
    }

    [Fact]
    public async Task SpawnMonitored_gets_exit_with_the_error_on_failure()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                await Task.Yield();
                throw new InvalidOperationException("child broke");
            }, SpawnOptions.Monitored);
            var ev = await p.Events.Next();
            Assert.Equal(EventKind.Exit, ev.Kind);
            Assert.Equal(child, ev.From);
            Assert.True(ev.Result!.IsError);
            Assert.Null(ev.Result.Value);
            return ev.Result.Error!.Message;
        });
        Assert.Equal("child broke", value);
    }

    [Fact]
    public async Task Catalog_entries_are_spawned_monitored_with_their_args()
    {
        var catalog = new ProcessCatalog().Add("app:worker", c => Task.FromResult<object?>($"{c.EntryId}:{c.Args[0]}+{c.Args[1]}"));
        var node = new TestNode(catalog);
        var value = await node.Value(async p =>
        {
            var child = p.SpawnMonitored("app:worker", TestNode.HostId, "x", 2);
            var ev = await p.Events.Next();
            Assert.Equal(child, ev.From);
            var missingEntry = Assert.Throws<WispException>(() => p.SpawnMonitored("app:missing", TestNode.HostId));
            Assert.Equal(ErrorKind.NotFound, missingEntry.Kind);
            var missingHost = Assert.Throws<WispException>(() => p.SpawnMonitored("app:worker", "app:nowhere"));
            Assert.Equal(ErrorKind.NotFound, missingHost.Kind);
            Assert.Contains("host not found", missingHost.Message);
            return ev.Result!.Value;
        });
        Assert.Equal("app:worker:x+2", value);
    }

    [Fact]
    public async Task Monitor_of_a_dead_or_unknown_pid_is_not_registered()
    {
        var node = new TestNode();
        await node.Value(async p =>
        {
            var dead = p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            await p.Events.Next();
            foreach (var target in new[] { dead, new Pid("", TestNode.HostId, 0xffff0) })
            {
                var e = Assert.Throws<WispException>(() => p.Monitor(target));
                Assert.Equal(ErrorKind.NotFound, e.Kind);
                Assert.Contains("pid not registered", e.Message);
                var l = Assert.Throws<WispException>(() => p.Link(target));
                Assert.Equal(ErrorKind.NotFound, l.Kind);
                Assert.Contains("pid not registered", l.Message);
            }
            await p.NoEventBeforeMarker();
            return null;
        });
    }

    [Fact]
    public async Task Monitoring_twice_is_already_monitoring()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c => { await c.Inbox.Next(); return "done"; });
            p.Monitor(child);
            var e = Assert.Throws<WispException>(() => p.Monitor(child));
            Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
            Assert.Contains("already monitoring", e.Message);
            var spawnedMonitored = p.Spawn(async c => { await c.Inbox.Next(); return "done"; }, SpawnOptions.Monitored);
            Assert.Throws<WispException>(() => p.Monitor(spawnedMonitored));
            p.Send(child, "go");
            var ev = await p.Events.Next();                        // exactly one EXIT
            Assert.Equal(child, ev.From);
            await p.NoEventBeforeMarker();
            p.Terminate(spawnedMonitored);
            await p.Events.Next();
            return ev.Result!.Value;
        });
        Assert.Equal("done", value);
    }

    [Fact]
    public async Task After_unmonitor_no_exit_arrives()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c => { await c.Inbox.Next(); return null; }, SpawnOptions.Monitored);
            p.Unmonitor(child);
            p.Unmonitor(child);                                       // idempotent
            var exited = p.Node.WhenExited(child);                    // completes after every EXIT was posted
            p.Send(child, "die");
            await exited;
            await p.NoEventBeforeMarker();
            p.Unmonitor(child);                                       // dead: still no error
            return "no exit";
        });
        Assert.Equal("no exit", value);
    }

    [Fact]
    public async Task Monitor_again_after_unmonitor_works()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c => { await c.Inbox.Next(); return "v"; });
            p.Monitor(child);
            p.Unmonitor(child);
            p.Monitor(child);
            p.Send(child, "die");
            var ev = await p.Events.Next();
            await p.NoEventBeforeMarker();
            return ev.Result!.Value;
        });
        Assert.Equal("v", value);
    }

    [Fact]
    public async Task Monitor_of_a_running_process_sees_its_exit_once()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c => { await c.Inbox.Next(); return "bye"; });
            p.Monitor(child);
            p.Send(child, "die");
            var ev = await p.Events.Next();
            Assert.Equal(child, ev.From);
            await p.NoEventBeforeMarker();
            return ev.Result!.Value;
        });
        Assert.Equal("bye", value);
    }

    [Fact]
    public async Task Link_down_arrives_on_events_with_trap_links()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            Assert.False(p.TrapLinks);                                // off by default
            p.TrapLinks = true;
            var child = p.Spawn(async c =>
            {
                await Task.Yield();
                throw new InvalidOperationException("linked child broke");
            }, SpawnOptions.Linked);
            var ev = await p.Events.Next();
            Assert.Equal(EventKind.LinkDown, ev.Kind);
            Assert.Equal("pid.link.down", ev.KindName);
            Assert.Equal(child, ev.From);
            Assert.True(ev.Result!.IsError);
            Assert.Null(ev.Reason);
            await p.NoEventBeforeMarker();
            return ev.Result.Error!.Message;
        });
        Assert.Equal("linked child broke", value);
    }

    [Fact]
    public async Task Normal_exit_of_a_linked_process_sends_no_link_down_and_kills_nobody()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            // without trap_links: a LINK_DOWN would kill us
            var child = p.Spawn(_ => Task.FromResult<object?>("fine"), SpawnOptions.Linked | SpawnOptions.Monitored);
            var ev = await p.Events.Next();
            Assert.Equal(EventKind.Exit, ev.Kind);
            Assert.Equal(child, ev.From);
            await p.NoEventBeforeMarker();
            p.TrapLinks = true;
            var second = p.Spawn(_ => Task.FromResult<object?>("fine"), SpawnOptions.Linked | SpawnOptions.Monitored);
            Assert.Equal(EventKind.Exit, (await p.Events.Next()).Kind);
            await p.NoEventBeforeMarker();
            return "alive";
        });
        Assert.Equal("alive", value);
    }

    [Fact]
    public async Task Linked_failure_kills_a_process_without_trap_links()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var victim = p.Spawn(async v =>
            {
                v.Spawn(async c =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("root cause");
                }, SpawnOptions.Linked);
                await v.Inbox.Next();                               // never touches its events
                return "survived";
            }, SpawnOptions.Monitored);
            var ev = await p.Events.Next();
            Assert.Equal(victim, ev.From);
            Assert.True(ev.Result!.IsError);
            return ev.Result.Error!.Message;
        });
        Assert.Contains("linked process failed", (string)value!);
    }

    [Fact]
    public async Task Link_failure_cascades_along_a_chain()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            // p monitors a; a links b; b links c; c fails
            var a = p.Spawn(async av =>
            {
                av.Spawn(async bv =>
                {
                    bv.Spawn(async cv =>
                    {
                        await Task.Yield();
                        throw new InvalidOperationException("c failed");
                    }, SpawnOptions.Linked);
                    await bv.Inbox.Next();
                    return null;
                }, SpawnOptions.Linked);
                await av.Inbox.Next();
                return null;
            }, SpawnOptions.Monitored);
            var ev = await p.Events.Next();
            Assert.Equal(a, ev.From);
            return ev.Result!.Error?.Message;
        });
        Assert.Contains("linked process failed", (string)value!);
    }

    [Fact]
    public async Task Link_is_bidirectional()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var peer = p.Spawn(async c => { await c.Inbox.Next(); return "survived"; }, SpawnOptions.Monitored);
            var failer = p.Spawn(async f =>
            {
                f.Link(peer);
                f.Link(peer);                                        // idempotent
                f.Send(parent, "linked");
                await f.Inbox.Next();
                throw new InvalidOperationException("failer failed");
            }, SpawnOptions.Monitored);
            await p.Inbox.Next();
            p.Send(failer, "fail");
            var exits = new Dictionary<Pid, ExitResult>();
            for (int i = 0; i < 2; i++)
            {
                var ev = await p.Events.Next();
                exits[ev.From] = ev.Result!;
            }
            Assert.Equal("failer failed", exits[failer].Error?.Message);
            return exits[peer].Error?.Message;
        });
        Assert.Contains("linked process failed", (string)value!);
    }

    [Fact]
    public async Task Linking_twice_gives_one_link_down()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.TrapLinks = true;
            var child = p.Spawn(async c => { await c.Inbox.Next(); return new ProcessError("returned error"); });
            p.Link(child);
            p.Link(child);
            p.Send(child, "fail");
            var ev = await p.Events.Next();
            Assert.Equal(EventKind.LinkDown, ev.Kind);
            await p.NoEventBeforeMarker();
            return ev.Result!.Error!.Message;
        });
        Assert.Equal("returned error", value);
    }

    [Fact]
    public async Task After_unlink_no_link_down_arrives()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                await c.Inbox.Next();
                throw new InvalidOperationException("fails after unlink");
            }, SpawnOptions.Linked | SpawnOptions.Monitored);
            p.Unlink(child);
            p.Unlink(child);                                         // idempotent
            p.Send(child, "fail");
            var ev = await p.Events.Next();                          // EXIT (monitor), and we are still alive
            Assert.Equal(EventKind.Exit, ev.Kind);
            await p.NoEventBeforeMarker();
            return ev.Result!.Error!.Message;
        });
        Assert.Equal("fails after unlink", value);
    }

    [Fact]
    public async Task SpawnLinkedMonitored_gets_exit_then_link_down()
    {
        var catalog = new ProcessCatalog().Add("app:failing", async c =>
        {
            await Task.Yield();
            throw new InvalidOperationException("entry failed");
        });
        var node = new TestNode(catalog);
        var value = await node.Value(async p =>
        {
            p.TrapLinks = true;
            var child = p.SpawnLinkedMonitored("app:failing", TestNode.HostId);
            var first = await p.Events.Next();
            var second = await p.Events.Next();
            Assert.Equal(child, first.From);
            Assert.Equal(child, second.From);
            await p.NoEventBeforeMarker();
            return $"{first.KindName},{second.KindName}";
        });
        Assert.Equal("pid.exit,pid.link.down", value);
    }

    [Fact]
    public async Task SpawnLinked_entry_failure_kills_the_parent_without_trap()
    {
        var catalog = new ProcessCatalog().Add("app:failing", _ => Task.FromResult<object?>(new ProcessError("nope")));
        var node = new TestNode(catalog);
        var result = await node.Run(async p =>
        {
            p.SpawnLinked("app:failing", TestNode.HostId);
            await p.Inbox.Next();
            return "survived";
        });
        Assert.Contains("linked process failed", result.Error?.Message);
    }

    [Fact]
    public async Task Terminated_process_gives_exit_and_link_down()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.TrapLinks = true;
            var child = p.Spawn(WaitForever, SpawnOptions.Linked | SpawnOptions.Monitored);
            p.Terminate(child);
            var kinds = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                var ev = await p.Events.Next();
                Assert.Equal("process terminated", ev.Result!.Error!.Message);
                kinds.Add(ev.KindName);
            }
            return string.Join(",", kinds);
        });
        Assert.Equal("pid.exit,pid.link.down", value);
    }

    [Fact]
    public async Task Exit_comes_after_every_message_the_child_sent()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var child = p.Spawn(c =>
            {
                for (int i = 0; i < 100; i++) c.Send(parent, "n", i);
                return Task.FromResult<object?>("done");
            }, SpawnOptions.Monitored);
            int messages = 0;
            while (true)
            {
                var r = await p.Select(p.Events.CaseReceive(), p.Inbox.CaseReceive());
                if (r.Value is ProcessEvent) break;
                Assert.Equal(messages, ((Message)r.Value!).Payload<int>());
                messages++;
            }
            return messages;
        });
        Assert.Equal(100, value);
    }

    /// <summary>An event keeps what it was made with: its time at the offset given, and its result or reason by kind.</summary>
    [Fact]
    public void An_event_keeps_its_time_with_its_offset_and_its_result_or_reason()
    {
        var at = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.FromHours(-9.5));
        var from = new Pid("", "app:h", 1);
        var cancel = ProcessEvent.Cancel(from, at, "why");
        Assert.Equal(at.ToString("o"), cancel.At.ToString("o"));
        Assert.Equal(("why", (ExitResult?)null), (cancel.Reason, cancel.Result));
        var result = ExitResult.Failure(new ProcessError("boom"));
        var down = ProcessEvent.LinkDown(from, DateTimeOffset.UnixEpoch, result);
        Assert.Equal((EventKind.LinkDown, DateTimeOffset.UnixEpoch, result, (string?)null), (down.Kind, down.At, down.Result, down.Reason));
    }
}
