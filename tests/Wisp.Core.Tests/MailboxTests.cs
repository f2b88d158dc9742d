namespace Wisp.Tests;

/// <summary>Sending, and how the mailbox routes messages: inbox, events, listen, held messages, order.</summary>
public class MailboxTests
{
    [Fact]
    public async Task Send_by_pid_carries_topic_sender_and_payload()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                var m = await c.Inbox.Next();
                c.Send(m.From, "echo", $"{m.Topic}:{m.Payload<int>()}:{m.PayloadCount}:{m.From}");
                return null;
            });
            p.Send(child, "hello", 42);
            var reply = await p.Inbox.Next();
            Assert.Equal("echo", reply.Topic);
            Assert.Equal(child, reply.From);
            return reply.Payload<string>();
        });
        Assert.Matches(@"^hello:42:1:\{app:processes\|0x[0-9a-f]{5}\}$", (string)value!);
    }

    [Fact]
    public async Task Send_by_registered_name_and_by_pid_string()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.Registry.Register("me");
            p.Send("me", "by-name", 1);
            p.Send(p.Pid.ToString(), "by-pid-string", 2);
            p.Send(p.Pid, "by-pid", 3);
            var a = await p.Inbox.Next();
            var b = await p.Inbox.Next();
            var c = await p.Inbox.Next();
            return $"{a.Topic}={a.Payload<int>()} {b.Topic}={b.Payload<int>()} {c.Topic}={c.Payload<int>()}";
        });
        Assert.Equal("by-name=1 by-pid-string=2 by-pid=3", value);
    }

    [Fact]
    public async Task SendMany_is_one_message_with_several_payloads()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.SendMany(p.Pid.ToString(), "many", 1, "two", null);
            p.SendMany(p.Pid.ToString(), "none");
            var many = await p.Inbox.Next();
            var none = await p.Inbox.Next();
            Assert.Equal(3, many.PayloadCount);
            Assert.Equal(new object?[] { 1, "two", null }, many.Payloads);
            Assert.Equal(new object?[] { 1, "two", null }, Enumerable.Range(0, many.PayloadCount).Select(many.PayloadAt));
            Assert.Equal(1, many.Payload<int>());
            Assert.Equal(0, none.PayloadCount);
            Assert.Empty(none.Payloads);
            var e = Assert.Throws<WispException>(() => none.Payload<int>());
            Assert.Equal(ErrorKind.Invalid, e.Kind);
            // the single-payload overload is a message with exactly one payload, even a null one
            p.Send(p.Pid, "null", null);
            var single = await p.Inbox.Next();
            Assert.Equal(1, single.PayloadCount);
            Assert.Null(single.Payload<string>());
            Assert.Null(single.PayloadAt(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => single.PayloadAt(1));
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Payload_of_the_wrong_type_is_an_error()
    {
        var node = new TestNode();
        await node.Value(async p =>
        {
            p.Send(p.Pid, "t", "text");
            var m = await p.Inbox.Next();
            var e = Assert.Throws<WispException>(() => m.Payload<int>());
            Assert.Equal(ErrorKind.Invalid, e.Kind);
            return null;
        });
    }

    [Fact]
    public async Task Send_from_outside_any_process_has_no_sender()
    {
        var node = new TestNode();
        var (pid, exit) = await node.Start(async p =>
        {
            var m = await p.Inbox.Next();
            return m.From;
        });
        node.Node.Send(pid, "hi", 1);
        var result = await exit;
        Assert.Equal(Pid.None, result.Value);
    }

    [Fact]
    public async Task Inbox_events_and_listen_are_the_same_channel_on_every_call()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            Assert.Same(p.Inbox.Channel, p.Inbox.Channel);
            Assert.Same(p.Events.Channel, p.Events.Channel);
            Assert.Same(p.Listen("a").Channel, p.Listen("a").Channel);
            Assert.NotSame(p.Listen("a").Channel, p.Listen("b").Channel);
            Assert.Equal(p.Inbox, p.Inbox);
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Messages_sent_before_the_inbox_is_touched_are_kept_in_order()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                var trigger = await c.Events.Next();          // the inbox is not touched until the CANCEL
                Assert.Equal(EventKind.Cancel, trigger.Kind);
                Assert.Equal(5, c.Inbox.Count);              // all five were held, none lost
                var got = new List<int>();
                for (int i = 0; i < 5; i++) got.Add((await c.Inbox.Next()).Payload<int>());
                return string.Join(",", got);
            }, SpawnOptions.Monitored);
            for (int i = 0; i < 5; i++) p.Send(child, "m", i);
            p.Cancel(child, "go");
            var exit = await p.Events.Next();
            Assert.Null(exit.Result!.Error);
            return exit.Result.Value;
        });
        Assert.Equal("0,1,2,3,4", value);
    }

    [Fact]
    public async Task Events_that_arrive_before_events_is_touched_are_kept()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            p.Cancel(p.Pid, "early");
            p.Send(p.Pid, "after-the-cancel");
            var m = await p.Inbox.Next();                    // the CANCEL was routed before this message
            Assert.Equal("after-the-cancel", m.Topic);
            var events = p.Events;
            Assert.Equal(1, events.Count);
            var ev = await events.Next();
            return $"{ev.KindName}:{ev.Reason}";
        });
        Assert.Equal("pid.cancel:early", value);
    }

    [Fact]
    public async Task Exit_of_a_child_that_ended_before_events_is_touched_is_kept()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                await c.Inbox.Next();
                return "child-value";
            }, SpawnOptions.Monitored);
            // a helper monitors the child too; its EXIT is posted after ours, so once it reports, ours is in our mailbox
            var self = p.Pid;
            p.Spawn(async h =>
            {
                h.Monitor(child);
                h.Send(child, "die");
                await h.Events.Next();
                h.Send(self, "child-exited");
                return null;
            });
            Assert.Equal("child-exited", (await p.Inbox.Next()).Topic);
            Assert.Equal(1, p.Events.Count);
            var ev = await p.Events.Next();
            Assert.Equal(child, ev.From);
            return ev.Result!.Value;
        });
        Assert.Equal("child-value", value);
    }

    [Fact]
    public async Task Listen_routes_its_topic_away_from_the_inbox()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var listener = p.Spawn(async c =>
            {
                var a = c.Listen("a");
                var from = (await c.Inbox.Next()).From;        // "ready?" from the parent
                c.Send(from, "ready");
                var got = new List<string>();
                for (int i = 0; i < 2; i++) got.Add((await a.Next()).Payload<string>());
                for (int i = 0; i < 2; i++) got.Add((await c.Inbox.Next()).Payload<string>());
                return string.Join(",", got);
            }, SpawnOptions.Monitored);
            p.Send(listener, "ready?");
            await p.Inbox.Next();
            p.Send(listener, "a", "a1");
            p.Send(listener, "b", "b1");
            p.Send(listener, "a", "a2");
            p.Send(listener, "c", "c1");
            return (await p.Events.Next()).Result!.Value;
        });
        Assert.Equal("a1,a2,b1,c1", value);
    }

    [Fact]
    public async Task Listen_takes_its_topic_from_held_messages_and_leaves_the_rest_held()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                await c.Events.Next();                           // wait, holding every message
                var a = c.Listen("a");
                Assert.Equal(2, a.Count);
                var got = new List<string>();
                got.Add((await a.Next()).Payload<string>());
                got.Add((await a.Next()).Payload<string>());
                got.Add((await c.Inbox.Next()).Payload<string>());
                got.Add((await c.Inbox.Next()).Payload<string>());
                return string.Join(",", got);
            }, SpawnOptions.Monitored);
            p.Send(child, "b", "b1");
            p.Send(child, "a", "a1");
            p.Send(child, "b", "b2");
            p.Send(child, "a", "a2");
            p.Cancel(child, "go");
            return (await p.Events.Next()).Result!.Value;
        });
        Assert.Equal("a1,a2,b1,b2", value);
    }

    [Fact]
    public async Task Listen_rejects_empty_and_at_topics()
    {
        var node = new TestNode();
        await node.Value(p =>
        {
            var empty = Assert.Throws<WispException>(() => p.Listen(""));
            Assert.Equal(ErrorKind.Invalid, empty.Kind);
            Assert.Equal("topic cannot be empty", empty.Message);
            var at = Assert.Throws<WispException>(() => p.Listen("@pid/inbox"));
            Assert.Equal(ErrorKind.Invalid, at.Kind);
            Assert.Equal("cannot listen to @ topics", at.Message);
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task The_runtime_fed_channels_refuse_send_and_close_even_when_reached_as_channels()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            // A select result names the channel itself; the channel still refuses what ReceiveChannel does not offer.
            foreach (var channel in new[] { p.Inbox.Channel, p.Listen("a").Channel })
            {
                var messages = (Channel<Message>)channel;
                Assert.Equal(ErrorKind.InvalidState, Assert.Throws<WispException>(() => messages.TrySend(new Message("x", p.Pid, (object?)1))).Kind);
                Assert.Throws<WispException>(() => { _ = messages.Send(new Message("x", p.Pid, (object?)1)); });
                Assert.Throws<WispException>(() => messages.CaseSend(new Message("x", p.Pid, (object?)1)));
                Assert.Throws<WispException>(messages.Close);
                Assert.False(messages.IsClosed);
            }
            Assert.Throws<WispException>(((Channel<ProcessEvent>)p.Events.Channel).Close);
            // and the inbox still works
            p.Send(p.Pid, "b", 1);
            return (await p.Inbox.Next()).Topic;
        });
        Assert.Equal("b", value);
    }

    [Fact]
    public async Task Unlisten_closes_the_channel_and_is_false_the_second_time()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var a = p.Listen("a");
            Assert.True(p.Unlisten(a));
            Assert.True(a.IsClosed);
            var (_, ok) = await a.Receive();
            Assert.False(ok);
            Assert.False(p.Unlisten(a));
            Assert.False(p.Unlisten(p.Inbox));
            // the topic now goes to the inbox, and a new listen is a new channel
            p.Send(p.Pid, "a", 1);
            var m = await p.Inbox.Next();
            Assert.Equal("a", m.Topic);
            Assert.NotEqual(a, p.Listen("a"));
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Unlisten_moves_undelivered_messages_to_the_inbox()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var a = p.Listen("a");
            p.Send(p.Pid, "a", 1);
            p.Send(p.Pid, "a", 2);
            p.Send(p.Pid, "sync");
            await p.Inbox.Next();                                 // both "a" are now in the listen channel
            Assert.Equal(2, a.Count);
            p.Unlisten(a);
            var got = new List<int> { (await p.Inbox.Next()).Payload<int>(), (await p.Inbox.Next()).Payload<int>() };
            return string.Join(",", got);
        });
        Assert.Equal("1,2", value);
    }

    [Fact]
    public async Task Unlisten_keeps_arrival_order_with_messages_already_in_the_inbox()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var inbox = p.Inbox;
            var a = p.Listen("a");
            p.Send(p.Pid, "a", "first");                          // to the listen channel
            p.Send(p.Pid, "b", "second");                         // to the inbox, after it
            p.Send(p.Pid, "c", "third");
            Assert.Equal("second", (await inbox.Next()).Payload<string>());   // "c" waits in the inbox now
            p.Unlisten(a);
            var got = new List<string> { (await inbox.Next()).Payload<string>(), (await inbox.Next()).Payload<string>() };
            return string.Join(",", got);
        });
        // "first" arrived before "third" from the same sender: the inbox must give it first
        Assert.Equal("first,third", value);
    }

    [Fact]
    public async Task Listen_takes_undelivered_inbox_messages_of_its_topic()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var inbox = p.Inbox;
            p.Send(p.Pid, "a", 1);
            p.Send(p.Pid, "sync");
            await Task.Yield();                                   // the loop routes both to the (unread) inbox
            var a = p.Listen("a");
            Assert.True(a.TryReceive(out var m, out _));
            return m.Payload<int>();
        });
        Assert.Equal(1, value);
    }

    [Fact]
    public async Task Messages_from_one_sender_arrive_in_send_order()
    {
        const int N = 2000;
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var receiver = p.Spawn(async c =>
            {
                for (int i = 0; i < N; i++)
                {
                    var m = await c.Inbox.Next();
                    Assert.Equal(i, m.Payload<int>());
                }
                return N;
            }, SpawnOptions.Monitored);
            for (int i = 0; i < N; i++) p.Send(receiver, "n", i);
            var exit = await p.Events.Next();
            Assert.Null(exit.Result!.Error);
            return exit.Result.Value;
        });
        Assert.Equal(N, value);
    }

    [Fact]
    public async Task Messages_of_interleaved_topics_from_one_sender_keep_order_per_channel()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var x = p.Listen("x");
            for (int i = 0; i < 100; i++) p.Send(p.Pid, i % 3 == 0 ? "x" : "y", i);
            var xs = new List<int>();
            var ys = new List<int>();
            for (int i = 0; i < 34; i++) xs.Add((await x.Next()).Payload<int>());
            for (int i = 0; i < 66; i++) ys.Add((await p.Inbox.Next()).Payload<int>());
            Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 3 == 0), xs);
            Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 3 != 0), ys);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Unlisten_wakes_a_coroutine_parked_on_the_listen_channel()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var a = p.Listen("a");
            var done = p.NewChannel<bool>(1);
            p.Go(async () =>
            {
                var (_, ok) = await a.Receive();
                done.TrySend(ok);
            });
            p.Unlisten(a);
            return (await done.Receive()).Value;
        });
        Assert.Equal(false, value);
    }
}
