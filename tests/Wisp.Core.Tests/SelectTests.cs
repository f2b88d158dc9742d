namespace Wisp.Tests;

/// <summary>select: declared order, default, parking, send cases, closed channels, exactly-once, arrival order.</summary>
public class SelectTests
{
    private static async Task<object?> InProcess(ProcessBody body) => await new TestNode().Value(body);

    [Fact]
    public async Task First_ready_case_in_declared_order_wins()
    {
        var value = await InProcess(p =>
        {
            var a = p.NewChannel<string>(1);
            var b = p.NewChannel<string>(1);
            var c = p.NewChannel<string>(1);
            b.TrySend("b");
            c.TrySend("c");
            var r1 = p.TrySelect(a.CaseReceive(), b.CaseReceive(), c.CaseReceive());
            Assert.Same(b, r1.Channel);
            Assert.Equal(1, r1.Index);
            Assert.Equal("b", r1.Value);
            Assert.True(r1.Ok);
            Assert.False(r1.IsDefault);
            // c stays ready; with b empty again, c wins; put b back and it wins again (no rotation)
            b.TrySend("b2");
            var r2 = p.TrySelect(c.CaseReceive(), b.CaseReceive());
            Assert.Equal("c", r2.ValueAs<string>());
            var r3 = p.TrySelect(a.CaseReceive(), b.CaseReceive());
            Assert.Equal("b2", r3.ValueAs<string>());
            return Task.FromResult<object?>("ok");
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Default_is_taken_only_when_nothing_is_ready()
    {
        var value = await InProcess(p =>
        {
            var a = p.NewChannel<int>();
            var b = p.NewChannel<int>(1);
            var none = p.TrySelect(a.CaseReceive(), b.CaseReceive());
            Assert.True(none.IsDefault);
            Assert.True(none.Ok);
            Assert.Null(none.Channel);
            Assert.Equal(-1, none.Index);
            Assert.True(p.TrySelect().IsDefault);              // no cases, default only
            b.TrySend(9);
            var one = p.TrySelect(a.CaseReceive(), b.CaseReceive());
            Assert.False(one.IsDefault);
            Assert.Equal(9, one.ValueAs<int>());
            Assert.True(p.TrySelect(a.CaseReceive(), b.CaseReceive()).IsDefault);   // consumed
            return Task.FromResult<object?>("ok");
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Parked_select_is_woken_by_a_later_send_from_another_coroutine()
    {
        var value = await InProcess(async p =>
        {
            var a = p.NewChannel<int>();
            var b = p.NewChannel<int>();
            p.Go(async () =>
            {
                await Task.Yield();                               // let the select park first
                await b.Send(5);
            });
            var r = await p.Select(a.CaseReceive(), b.CaseReceive());
            Assert.Same(b, r.Channel);
            Assert.Equal(1, r.Index);
            Assert.True(r.Ok);
            return r.Value;
        });
        Assert.Equal(5, value);
    }

    [Fact]
    public async Task Send_case_delivers_to_a_parked_receiver()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>();
            var done = p.NewChannel<int>(1);
            p.Go(async () => done.TrySend((await ch.Receive()).Value));
            var r = p.TrySelect(ch.CaseSend(42));
            Assert.False(r.IsDefault);
            Assert.Same(ch, r.Channel);
            Assert.Equal(42, r.Value);
            Assert.True(r.Ok);
            return (await done.Receive()).Value;
        });
        Assert.Equal(42, value);
    }

    [Fact]
    public async Task Parked_send_case_completes_when_a_receiver_comes()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<string>();
            var other = p.NewChannel<string>();
            Assert.True(p.TrySelect(ch.CaseSend("x")).IsDefault);   // nobody receives: not ready
            string? got = null;
            p.Go(async () =>
            {
                await Task.Yield();
                got = (await ch.Receive()).Value;
            });
            var r = await p.Select(other.CaseReceive(), ch.CaseSend("hello"));
            Assert.Equal(1, r.Index);
            Assert.Equal("hello", r.Value);
            await Task.Yield();
            Assert.Equal(0, other.Count);
            return got;
        });
        Assert.Equal("hello", value);
    }

    [Fact]
    public async Task Send_case_on_a_buffered_channel_with_room_is_ready()
    {
        var value = await InProcess(async p =>
        {
            var full = p.NewChannel<int>(1);
            var room = p.NewChannel<int>(1);
            full.TrySend(0);
            var r = await p.Select(full.CaseSend(1), room.CaseSend(2));
            Assert.Same(room, r.Channel);
            return (await room.Receive()).Value;
        });
        Assert.Equal(2, value);
    }

    [Fact]
    public async Task Receive_case_on_a_closed_channel_is_ready_with_not_ok()
    {
        var value = await InProcess(async p =>
        {
            var open = p.NewChannel<int>();
            var closed = p.NewChannel<int>();
            closed.Close();
            var r = await p.Select(open.CaseReceive(), closed.CaseReceive());
            Assert.Same(closed, r.Channel);
            Assert.False(r.Ok);
            Assert.Equal(0, r.ValueAs<int>());                  // the zero value
            var again = p.TrySelect(open.CaseReceive(), closed.CaseReceive());   // stays ready
            Assert.False(again.IsDefault);
            Assert.False(again.Ok);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Parked_select_is_woken_by_close_with_not_ok()
    {
        var value = await InProcess(async p =>
        {
            var a = p.NewChannel<int>();
            var b = p.NewChannel<int>();
            p.Go(async () =>
            {
                await Task.Yield();
                b.Close();
            });
            var r = await p.Select(a.CaseReceive(), b.CaseReceive());
            Assert.Same(b, r.Channel);
            Assert.False(r.Ok);
            Assert.False(a.TrySend(1));                           // the select withdrew from a
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Send_case_on_a_closed_channel_throws()
    {
        var value = await InProcess(async p =>
        {
            var closed = p.NewChannel<int>(1);
            closed.Close();
            Assert.Throws<ChannelClosedException>(() => p.TrySelect(closed.CaseSend(1)));
            // parked send case whose channel gets closed: the select raises
            var ch = p.NewChannel<int>();
            var other = p.NewChannel<int>();
            p.Go(async () =>
            {
                await Task.Yield();
                ch.Close();
            });
            await Assert.ThrowsAsync<ChannelClosedException>(async () => await p.Select(other.CaseReceive(), ch.CaseSend(1)));
            Assert.False(other.TrySend(2));                      // withdrawn from the other case too
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Exactly_one_case_fires_when_two_become_ready()
    {
        var value = await InProcess(async p =>
        {
            var a = p.NewChannel<int>();
            var b = p.NewChannel<int>();
            var results = p.NewChannel<SelectResult>(1);
            p.Go(async () => results.TrySend(await p.Select(a.CaseReceive(), b.CaseReceive())));
            // both become ready in the same step: two senders, the first completes the select
            var sent = p.NewChannel<string>(2);
            p.Go(async () => { await a.Send(1); sent.TrySend("a"); });
            p.Go(async () => { await b.Send(2); sent.TrySend("b"); });
            var (result, _) = await results.Receive();
            Assert.Equal(0, result.Index);
            Assert.Equal(1, result.Value);
            Assert.Equal("a", (await sent.Receive()).Value);
            Assert.Equal(0, sent.Count);                         // b's value was not taken ...
            Assert.Equal((2, true), await b.Receive());          // ... and is still there
            Assert.Equal("b", (await sent.Receive()).Value);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Exactly_one_case_fires_with_buffered_channels()
    {
        var value = await InProcess(async p =>
        {
            var a = p.NewChannel<int>(1);
            var b = p.NewChannel<int>(1);
            var results = p.NewChannel<SelectResult>(1);
            p.Go(async () => results.TrySend(await p.Select(a.CaseReceive(), b.CaseReceive())));
            Assert.True(b.TrySend(20));                           // completes the parked select
            Assert.True(a.TrySend(10));                           // buffered: the select is gone
            var (result, _) = await results.Receive();
            Assert.Equal(20, result.Value);
            Assert.Equal((10, true), await a.Receive());
            Assert.False(b.TryReceive(out _, out _));
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Same_channel_twice_in_one_select_fires_once()
    {
        var value = await InProcess(async p =>
        {
            var a = p.NewChannel<int>();
            var results = p.NewChannel<SelectResult>(1);
            p.Go(async () => results.TrySend(await p.Select(a.CaseReceive(), a.CaseReceive())));
            Assert.True(a.TrySend(1));
            Assert.False(a.TrySend(2));                          // the second case was withdrawn
            var (result, _) = await results.Receive();
            Assert.Equal(0, result.Index);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Select_without_cases_or_default_is_an_error()
    {
        var value = await InProcess(p =>
        {
            var e = Assert.Throws<WispException>(() => { _ = p.Select(); });
            Assert.Equal(ErrorKind.Invalid, e.Kind);
            return Task.FromResult<object?>("ok");
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Mailbox_fed_cases_follow_arrival_order_not_declared_order()
    {
        var value = await InProcess(async p =>
        {
            var inbox = p.Inbox;
            var events = p.Events;
            var order = new List<string>();

            // a message, then an event: the message arrived first, though events is declared first
            p.Send(p.Pid, "m1");
            p.Cancel(p.Pid, "e1");
            await Task.Yield();                                  // the loop routes both before resuming us
            Assert.Equal(1, inbox.Count);
            Assert.Equal(1, events.Count);
            for (int i = 0; i < 2; i++)
            {
                var r = await p.Select(events.CaseReceive(), inbox.CaseReceive());
                order.Add(r.Channel == inbox ? ((Message)r.Value!).Topic : ((ProcessEvent)r.Value!).Reason!);
            }

            // an event, then a message: the event first, though the inbox is declared first
            p.Cancel(p.Pid, "e2");
            p.Send(p.Pid, "m2");
            await Task.Yield();
            for (int i = 0; i < 2; i++)
            {
                var r = await p.Select(inbox.CaseReceive(), events.CaseReceive());
                order.Add(r.Channel == inbox ? ((Message)r.Value!).Topic : ((ProcessEvent)r.Value!).Reason!);
            }
            return string.Join(",", order);
        });
        Assert.Equal("m1,e1,e2,m2", value);
    }

    [Fact]
    public async Task Mailbox_fed_and_listen_cases_interleave_by_arrival()
    {
        var value = await InProcess(async p =>
        {
            var inbox = p.Inbox;
            var a = p.Listen("a");
            string[] topics = ["a", "x", "a", "a", "y", "a", "z"];
            for (int i = 0; i < topics.Length; i++) p.Send(p.Pid, topics[i], i);
            await Task.Yield();
            var got = new List<int>();
            for (int i = 0; i < topics.Length; i++)
            {
                var r = await p.Select(a.CaseReceive(), inbox.CaseReceive());
                got.Add(((Message)r.Value!).Payload<int>());
            }
            return string.Join(",", got);
        });
        Assert.Equal("0,1,2,3,4,5,6", value);
    }

    [Fact]
    public async Task Plain_ready_case_declared_first_beats_a_mailbox_case()
    {
        var value = await InProcess(async p =>
        {
            var local = p.NewChannel<string>(1);
            p.Send(p.Pid, "m");
            await Task.Yield();
            local.TrySend("local");
            var r = await p.Select(local.CaseReceive(), p.Inbox.CaseReceive());
            return r.Value;
        });
        Assert.Equal("local", value);
    }

    [Fact]
    public async Task Parked_select_on_inbox_and_events_gets_whichever_arrives()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(async c =>
            {
                var parent = (await c.Inbox.Next()).From;
                c.Send(parent, "reply", "hi");
                return "bye";
            }, SpawnOptions.Monitored);
            p.Send(child, "ping");
            var got = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                var r = await p.Select(p.Inbox.CaseReceive(), p.Events.CaseReceive());
                got.Add(r.Value switch
                {
                    Message m => m.Payload<string>(),
                    ProcessEvent e => (string)e.Result!.Value!,
                    _ => "?",
                });
            }
            // the child's reply is sent before it exits, and both come from the same mailbox in arrival order
            return string.Join(",", got);
        });
        Assert.Equal("hi,bye", value);
    }
}
