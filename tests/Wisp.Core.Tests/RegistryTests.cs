namespace Wisp.Tests;

/// <summary>The node's name registry: register, lookup, idempotence, conflicts, unregister, release on exit.</summary>
public class RegistryTests
{
    [Fact]
    public async Task Register_self_then_lookup_and_send_by_name()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            Assert.Null(p.Registry.Lookup("svc"));
            p.Registry.Register("svc");
            Assert.Equal(p.Pid, p.Registry.Lookup("svc"));
            Assert.Equal(p.Pid, p.Node.Registry.Lookup("svc"));
            Assert.Equal(p.Pid, p.Node.Registry.Snapshot()["svc"]);
            p.Send("svc", "hello", 1);
            return (await p.Inbox.Next()).Payload<int>();
        });
        Assert.Equal(1, value);
    }

    [Fact]
    public async Task Same_name_to_same_pid_is_idempotent_and_a_pid_may_hold_several_names()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            p.Registry.Register("a");
            p.Registry.Register("a");
            p.Registry.Register("a", p.Pid);
            p.Registry.Register("b");
            Assert.Equal(p.Pid, p.Registry.Lookup("a"));
            Assert.Equal(p.Pid, p.Registry.Lookup("b"));
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Name_held_by_another_pid_is_already_registered()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.Registry.Register("taken");
            var self = p.Pid;
            var other = p.Spawn(c =>
            {
                var e = Assert.Throws<WispException>(() => c.Registry.Register("taken"));
                Assert.Equal(ErrorKind.AlreadyExists, e.Kind);
                Assert.Contains("name already registered", e.Message);
                Assert.Equal(self, c.Registry.Lookup("taken"));
                return Task.FromResult<object?>("refused");
            }, SpawnOptions.Monitored);
            var exit = await p.Events.Next();
            Assert.Null(exit.Result!.Error);
            // and registering it for another pid from here fails the same way
            var idle = p.Spawn(async c => { await c.Inbox.Next(); return null; });
            var e2 = Assert.Throws<WispException>(() => p.Registry.Register("taken", idle));
            Assert.Equal(ErrorKind.AlreadyExists, e2.Kind);
            p.Terminate(idle);
            Assert.Equal(p.Pid, p.Registry.Lookup("taken"));
            return exit.Result.Value;
        });
        Assert.Equal("refused", value);
    }

    [Fact]
    public async Task Unregister_returns_true_then_false()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            p.Registry.Register("n");
            Assert.True(p.Registry.Unregister("n"));
            Assert.False(p.Registry.Unregister("n"));
            Assert.False(p.Registry.Unregister("never"));
            Assert.Null(p.Registry.Lookup("n"));
            var e = Assert.Throws<WispException>(() => p.Send("n", "t"));
            Assert.Equal("could not resolve 'n' as PID or registered name", e.Message);
            p.Registry.Register("n");                               // free again
            Assert.Equal(p.Pid, p.Registry.Lookup("n"));
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Unregistered_name_can_be_taken_by_another_process_and_the_first_exit_does_not_release_it()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var first = p.Spawn(async c =>
            {
                c.Registry.Register("shared");
                c.Registry.Unregister("shared");
                var parent = (await c.Inbox.Next()).From;
                c.Send(parent, "unregistered");
                await c.Inbox.Next();
                return null;
            }, SpawnOptions.Monitored);
            p.Send(first, "go");
            await p.Inbox.Next();
            p.Registry.Register("shared");
            p.Send(first, "exit");
            await p.Events.Next();
            return p.Registry.Lookup("shared") == p.Pid;             // still ours after the first holder exited
        });
        Assert.Equal(true, value);
    }

    [Fact]
    public async Task Names_are_released_when_the_process_exits()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var child = p.Spawn(async c =>
            {
                c.Registry.Register("svc");
                c.Registry.Register("svc-alias");
                c.Send(parent, "registered");
                await c.Inbox.Next();
                return null;
            }, SpawnOptions.Monitored);
            await p.Inbox.Next();
            Assert.Equal(child, p.Registry.Lookup("svc"));
            p.Send("svc", "die");
            var exit = await p.Events.Next();                       // EXIT is sent after the names are released
            Assert.Equal(child, exit.From);
            Assert.Null(p.Registry.Lookup("svc"));
            Assert.Null(p.Registry.Lookup("svc-alias"));
            Assert.Throws<WispException>(() => p.Send("svc", "t"));
            p.Registry.Register("svc");                             // the name is free for others
            return p.Registry.Lookup("svc") == p.Pid;
        });
        Assert.Equal(true, value);
    }

    [Fact]
    public async Task Names_are_released_when_the_process_fails_or_is_terminated()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var failing = p.Spawn(async c =>
            {
                c.Registry.Register("failing");
                c.Send(parent, "registered");
                await c.Inbox.Next();
                throw new InvalidOperationException("bye");
            }, SpawnOptions.Monitored);
            var blocked = p.Spawn(async c =>
            {
                c.Registry.Register("blocked");
                c.Send(parent, "registered");
                await c.NewChannel<int>().Receive();
                return null;
            }, SpawnOptions.Monitored);
            await p.Inbox.Next();
            await p.Inbox.Next();
            p.Send(failing, "die");
            p.Terminate(blocked);
            var e1 = await p.Events.Next();
            var e2 = await p.Events.Next();
            Assert.NotNull(e1.Result!.Error);
            Assert.NotNull(e2.Result!.Error);
            return $"{p.Registry.Lookup("failing")?.ToString() ?? "none"},{p.Registry.Lookup("blocked")?.ToString() ?? "none"}";
        });
        Assert.Equal("none,none", value);
    }

    [Fact]
    public async Task Register_another_live_pid()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var other = p.Spawn(async c =>
            {
                var m = await c.Inbox.Next();
                return m.Payload<string>();
            }, SpawnOptions.Monitored);
            p.Registry.Register("worker", other);
            Assert.Equal(other, p.Registry.Lookup("worker"));
            p.Send("worker", "job", "via-name");
            var exit = await p.Events.Next();
            Assert.Null(p.Registry.Lookup("worker"));               // released with its holder, not with us
            return exit.Result!.Value;
        });
        Assert.Equal("via-name", value);
    }

    [Fact]
    public async Task Register_of_a_dead_pid_or_an_empty_name_fails()
    {
        var node = new TestNode();
        await node.Value(async p =>
        {
            var dead = p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            await p.Events.Next();
            var e = Assert.Throws<WispException>(() => p.Registry.Register("ghost", dead));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Null(p.Registry.Lookup("ghost"));
            var empty = Assert.Throws<WispException>(() => p.Registry.Register(""));
            Assert.Equal(ErrorKind.Invalid, empty.Kind);
            return null;
        });
    }

    [Fact]
    public async Task Names_are_resolved_on_every_send()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            ProcessBody holder = async c =>
            {
                var m = await c.Inbox.Next();
                c.Send(parent, "got", $"{m.Payload<int>()}@{c.Pid}");
                return null;
            };
            var a = p.Spawn(holder, SpawnOptions.Monitored);
            var b = p.Spawn(holder, SpawnOptions.Monitored);
            p.Registry.Register("moving", a);
            p.Send("moving", "n", 1);
            var first = (await p.Inbox.Next()).Payload<string>();
            await p.Events.Next();                                    // a has exited: the name is free
            p.Registry.Register("moving", b);
            p.Send("moving", "n", 2);
            var second = (await p.Inbox.Next()).Payload<string>();
            Assert.Equal($"1@{a}", first);
            Assert.Equal($"2@{b}", second);
            return "ok";
        });
        Assert.Equal("ok", value);
    }
}
