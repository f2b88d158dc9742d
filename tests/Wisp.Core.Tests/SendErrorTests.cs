namespace Wisp.Tests;

/// <summary>What a send refuses, with the documented kinds and messages; the host mailbox limit.</summary>
public class SendErrorTests
{
    [Fact]
    public async Task Unknown_name_cannot_be_resolved()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            var e = Assert.Throws<WispException>(() => p.Send("x", "t", 1));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Equal("could not resolve 'x' as PID or registered name", e.Message);
            var many = Assert.Throws<WispException>(() => p.SendMany("x", "t", 1, 2));
            Assert.Equal("could not resolve 'x' as PID or registered name", many.Message);
            return Task.FromResult<object?>(null);
        });
        var outside = Assert.Throws<WispException>(() => node.Node.Send("x", "t", 1));
        Assert.Equal("could not resolve 'x' as PID or registered name", outside.Message);
    }

    [Fact]
    public async Task Dead_pid_is_process_not_found()
    {
        var node = new TestNode();
        var deadPid = default(Pid);
        await node.Value(async p =>
        {
            var child = p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            await p.Events.Next();
            deadPid = child;
            var e = Assert.Throws<WispException>(() => p.Send(child, "t", 1));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Contains("process not found", e.Message);
            var s = Assert.Throws<WispException>(() => p.Send(child.ToString(), "t", 1));
            Assert.Contains("process not found", s.Message);
            return null;
        });
        var outside = Assert.Throws<WispException>(() => node.Node.Send(deadPid, "t", 1));
        Assert.Equal(ErrorKind.NotFound, outside.Kind);
        Assert.Contains("process not found", outside.Message);
    }

    [Fact]
    public async Task Pid_that_never_existed_or_names_another_host_is_not_found()
    {
        var node = new TestNode();
        node.Node.AddHost("app:other");
        await node.Value(p =>
        {
            var never = Assert.Throws<WispException>(() => p.Send(new Pid("", TestNode.HostId, 0xfffff), "t"));
            Assert.Contains("process not found", never.Message);
            var wrongHost = Assert.Throws<WispException>(() => p.Send(new Pid("", "app:other", p.Pid.Id), "t"));
            Assert.Equal(ErrorKind.NotFound, wrongHost.Kind);
            Assert.Contains("process not found", wrongHost.Message);
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Pid_of_another_node_is_not_found_here()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            var e = Assert.Throws<WispException>(() => p.Send(new Pid("elsewhere", TestNode.HostId, p.Pid.Id), "t"));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Contains("node not found", e.Message);
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task At_topics_and_empty_topics_are_refused()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            Action[] sends =
            [
                () => p.Send(p.Pid, "@pid/inbox", 1),
                () => p.Send(p.Pid.ToString(), "@events", 1),
                () => p.SendMany(p.Pid.ToString(), "@x", 1, 2),
                () => p.NewMessage("@x", 1),
                () => node.Node.Send(p.Pid, "@x", 1),
            ];
            foreach (var send in sends)
            {
                var e = Assert.Throws<WispException>(send);
                Assert.Equal(ErrorKind.Invalid, e.Kind);
                Assert.Equal("cannot send to @ topics", e.Message);
            }
            var empty = Assert.Throws<WispException>(() => p.Send(p.Pid, "", 1));
            Assert.Equal(ErrorKind.Invalid, empty.Kind);
            Assert.Equal("topic cannot be empty", empty.Message);
            return Task.FromResult<object?>(null);
        });
    }

    /// <summary>A destination that starts with '{' is a PID: one that does not parse is Invalid, and the sender goes on.</summary>
    [Theory]
    [InlineData("{not a pid")]
    [InlineData("{}")]
    [InlineData("{app:processes|0x}")]
    [InlineData("{app:processes|zz}")]
    [InlineData("{app:processes|0x0}")]
    [InlineData("{app:processes|0x1")]
    [InlineData("{app:processes 0x1}")]
    public async Task Bad_pid_string_is_invalid(string text)
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            foreach (var send in new Action[] { () => p.Send(text, "t", 1), () => p.SendMany(text, "t", 1, 2), () => node.Node.Send(text, "t", 1) })
            {
                var e = Assert.Throws<WispException>(send);
                Assert.Equal(ErrorKind.Invalid, e.Kind);
                Assert.Equal($"invalid pid format: '{text}'", e.Message);
            }
            p.Send(p.Pid.ToString(), "after", 3);
            return (await p.Inbox.Next()).Payload<int>();
        });
        Assert.Equal(3, value);
    }

    [Fact]
    public async Task The_name_of_a_process_that_has_exited_cannot_be_resolved()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.Spawn(c =>
            {
                c.Registry.Register("gone");
                return Task.FromResult<object?>(null);
            }, SpawnOptions.Monitored);
            await p.Events.Next();                                   // its EXIT: names are released before monitors hear
            var e = Assert.Throws<WispException>(() => p.Send("gone", "t", 1));
            Assert.Equal(ErrorKind.NotFound, e.Kind);
            Assert.Equal("could not resolve 'gone' as PID or registered name", e.Message);
            p.Send(p.Pid, "after", 4);
            return (await p.Inbox.Next()).Payload<int>();
        });
        Assert.Equal(4, value);
    }

    [Fact]
    public async Task Refused_sends_deliver_nothing()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            Assert.Throws<WispException>(() => p.Send(p.Pid, "@x", 1));
            Assert.Throws<WispException>(() => p.Send(p.Pid, "", 2));
            p.Send(p.Pid, "real", 3);
            var m = await p.Inbox.Next();
            Assert.Equal(0, p.Inbox.Count);
            return m.Payload<int>();
        });
        Assert.Equal(3, value);
    }

    [Fact]
    public async Task Prebuilt_message_can_only_be_sent_by_its_builder()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var message = p.NewMessage("pre", 7);
            var probe = new Probe<string>();
            var self = p.Pid;
            var other = p.Spawn(c =>
            {
                var e = Assert.Throws<WispException>(() => c.Send(self, message));
                probe.Put($"{e.Kind}");
                return Task.FromResult<object?>(null);
            });
            Assert.Equal("Invalid", await probe.Take());
            p.Send(p.Pid, message);
            var m = await p.Inbox.Next();
            Assert.Same(message, m);
            return m.Payload<int>();
        });
        Assert.Equal(7, value);
    }

    // ---- host mailbox limit. One worker for the host: the sender's slice and the receiver's never overlap,
    // so what the receiver holds during a burst of sends is exact.

    private static TestNode LimitedNode(int limit) => new(host: new HostOptions { Workers = 1, MailboxLimit = limit });

    [Fact]
    public async Task Send_past_the_mailbox_limit_fails_and_nothing_below_it_is_lost()
    {
        var node = LimitedNode(10);
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var receiver = p.Spawn(async c =>
            {
                for (int round = 0; round < 2; round++)
                {
                    var got = new List<int>();
                    for (int i = 0; i < 10; i++) got.Add((await c.Inbox.Next()).Payload<int>());
                    c.Send(parent, "got", string.Join(",", got));
                }
                return null;
            });
            for (int i = 0; i < 10; i++) p.Send(receiver, "m", i);            // the receiver has not run yet
            var e = Assert.Throws<WispException>(() => p.Send(receiver, "m", 10));
            Assert.Equal(ErrorKind.LimitExceeded, e.Kind);
            Assert.Contains("mailbox full", e.Message);
            var first = (await p.Inbox.Next()).Payload<string>();
            // drained: the limit applies to what is held, not to what was ever sent
            for (int i = 20; i < 30; i++) p.Send(receiver, "m", i);
            var second = (await p.Inbox.Next()).Payload<string>();
            return first + "|" + second;
        });
        Assert.Equal("0,1,2,3,4,5,6,7,8,9|20,21,22,23,24,25,26,27,28,29", value);
    }

    [Fact]
    public async Task Events_held_below_the_limit_do_not_count_toward_the_messages()
    {
        var node = LimitedNode(3);
        var value = await node.Value(async p =>
        {
            for (int i = 0; i < 3; i++) p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            while (p.Events.Count < 3) await p.Sleep(TimeSpan.FromMilliseconds(5));   // EXITs held, none read
            p.Send(p.Pid, "a", 1);
            p.Send(p.Pid, "b", 2);
            p.Send(p.Pid, "c", 3);                                  // 3 messages: at the limit, beside 3 events
            return (await p.Inbox.Next()).Payload<int>() + (await p.Inbox.Next()).Payload<int>() + (await p.Inbox.Next()).Payload<int>();
        });
        Assert.Equal(6, value);
    }

    [Theory]
    [InlineData(false)]   // the events channel opened, never read
    [InlineData(true)]    // never opened: the events are held for it
    public async Task A_process_that_does_not_read_its_events_past_the_limit_ends_with_a_clear_error(bool unopened)
    {
        var node = LimitedNode(3);
        var result = await node.Run(async p =>
        {
            if (!unopened) _ = p.Events;
            for (int i = 0; i < 5; i++) p.Spawn(_ => Task.FromResult<object?>(null), SpawnOptions.Monitored);
            return await p.NewChannel<int>().Receive().AsTask().ContinueWith(_ => (object?)null);
        });
        Assert.Equal(ErrorKind.LimitExceeded, result.Error!.Kind);
        Assert.Matches(@"^undelivered events: process \{app:processes\|0x[0-9a-f]+\} holds more than 3 events it has not read \(host app:processes limit\)$", result.Error.Message);
    }

    [Fact]
    public async Task Messages_waiting_in_the_inbox_count_toward_the_limit()
    {
        var node = LimitedNode(10);
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var receiver = p.Spawn(async c =>
            {
                _ = c.Inbox;                                   // touched, never read
                var sync = c.Listen("sync");
                while (true)
                {
                    await sync.Next();
                    c.Send(parent, "ack");
                }
            });
            for (int i = 0; i < 5; i++) p.Send(receiver, "m", i);
            p.Send(receiver, "sync");
            await p.Inbox.Next();                              // the five now wait in the receiver's inbox
            for (int i = 5; i < 10; i++) p.Send(receiver, "m", i);
            var e = Assert.Throws<WispException>(() => p.Send(receiver, "m", 10));
            Assert.Equal(ErrorKind.LimitExceeded, e.Kind);
            p.Terminate(receiver);
            return "refused";
        });
        Assert.Equal("refused", value);
    }

    [Fact]
    public async Task Messages_waiting_in_a_listen_channel_count_toward_the_limit()
    {
        var node = LimitedNode(10);
        var value = await node.Value(async p =>
        {
            var parent = p.Pid;
            var receiver = p.Spawn(async c =>
            {
                _ = c.Listen("t");                             // listened, never read
                while (true)
                {
                    await c.Inbox.Next();
                    c.Send(parent, "ack");
                }
            });
            int accepted = 0;
            try
            {
                for (int round = 0; round < 4; round++)
                {
                    for (int i = 0; i < 5; i++)
                    {
                        p.Send(receiver, "t", i);
                        accepted++;
                    }
                    p.Send(receiver, "sync");
                    await p.Inbox.Next();
                }
            }
            catch (WispException e) when (e.Kind == ErrorKind.LimitExceeded) { }
            p.Terminate(receiver);
            return accepted;
        });
        Assert.Equal(10, value);
    }

    [Fact]
    public void Mailbox_limit_must_be_positive()
    {
        var node = new Node();
        var e = Assert.Throws<WispException>(() => node.AddHost("h", new HostOptions { MailboxLimit = 0 }));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
    }
}
