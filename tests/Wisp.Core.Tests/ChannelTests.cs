namespace Wisp.Tests;

/// <summary>Go-style channels inside one process: rendezvous, buffers, close, and process-locality.</summary>
public class ChannelTests
{
    private static async Task<object?> InProcess(ProcessBody body) => await new TestNode().Value(body);

    [Fact]
    public async Task Unbuffered_send_completes_only_when_received()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>();
            var done = p.NewChannel<bool>(1);
            var log = new List<string>();
            p.Go(async () =>
            {
                log.Add("send");
                await ch.Send(1);
                log.Add("sent");
                done.TrySend(true);
            });
            Assert.Equal(["send"], log);                       // parked: nobody receives yet
            Assert.False(ch.TrySend(2));                        // no receiver waits, no buffer
            await p.Sleep(TimeSpan.FromMilliseconds(1));
            Assert.Equal(["send"], log);                       // still parked after the loop ran again
            var (v, ok) = await ch.Receive();
            Assert.True(ok);
            Assert.Equal(1, v);
            Assert.Equal(["send"], log);                       // released, but it runs only when we wait
            await done.Receive();
            Assert.Equal(["send", "sent"], log);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Unbuffered_receive_waits_for_a_sender()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<string>();
            var done = p.NewChannel<string>(1);
            p.Go(async () =>
            {
                var (v, _) = await ch.Receive();
                done.TrySend($"got {v}");
            });
            Assert.False(ch.TryReceive(out _, out _));          // the coroutine is the receiver, nothing to take
            Assert.True(ch.TrySend("x"));                       // hands off to the parked receiver
            Assert.False(ch.TrySend("y"));                      // nobody else waits
            return (await done.Receive()).Value;
        });
        Assert.Equal("got x", value);
    }

    [Fact]
    public async Task Several_parked_senders_are_received_in_order()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>();
            var done = p.NewChannel<int>(5);
            for (int i = 1; i <= 5; i++)
            {
                int v = i;
                p.Go(async () =>
                {
                    await ch.Send(v);
                    done.TrySend(v);
                });
            }
            var got = new List<int>();
            for (int i = 0; i < 5; i++) got.Add((await ch.Receive()).Value);
            var released = new List<int>();
            for (int i = 0; i < 5; i++) released.Add((await done.Receive()).Value);
            Assert.Equal([1, 2, 3, 4, 5], released);            // senders are released in FIFO order too
            return string.Join(",", got);
        });
        Assert.Equal("1,2,3,4,5", value);
    }

    [Fact]
    public async Task Several_parked_receivers_are_served_in_order()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>();
            var done = p.NewChannel<string>(3);
            for (int i = 0; i < 3; i++)
            {
                int who = i;
                p.Go(async () => done.TrySend($"r{who}={(await ch.Receive()).Value}"));
            }
            for (int v = 10; v < 13; v++) await ch.Send(v);
            var got = new List<string>();
            for (int i = 0; i < 3; i++) got.Add((await done.Receive()).Value);
            return string.Join(",", got);
        });
        Assert.Equal("r0=10,r1=11,r2=12", value);
    }

    [Fact]
    public async Task Buffered_channel_is_fifo_and_bounded()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>(3);
            Assert.Equal(3, ch.Capacity);
            Assert.True(ch.TrySend(1));
            Assert.True(ch.TrySend(2));
            await ch.Send(3);                                   // room: completes at once
            Assert.Equal(3, ch.Count);
            Assert.False(ch.TrySend(4));
            var got = new List<int>();
            while (ch.TryReceive(out var v, out var ok))
            {
                Assert.True(ok);
                got.Add(v);
            }
            Assert.Equal(0, ch.Count);
            return string.Join(",", got);
        });
        Assert.Equal("1,2,3", value);
    }

    [Fact]
    public async Task Parked_sender_on_a_full_buffer_takes_the_freed_slot()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>(1);
            var done = p.NewChannel<bool>(1);
            Assert.True(ch.TrySend(1));
            bool sent = false;
            p.Go(async () =>
            {
                await ch.Send(2);
                sent = true;
                done.TrySend(true);
            });
            Assert.False(sent);
            Assert.Equal(1, (await ch.Receive()).Value);
            Assert.Equal(1, ch.Count);                          // 2 moved into the buffer
            await done.Receive();
            Assert.True(sent);
            Assert.Equal(2, (await ch.Receive()).Value);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Close_drains_the_buffer_then_reports_not_ok()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<string>(2);
            await ch.Send("a");
            await ch.Send("b");
            ch.Close();
            Assert.True(ch.IsClosed);
            var r1 = await ch.Receive();
            var r2 = await ch.Receive();
            var r3 = await ch.Receive();
            var r4 = await ch.Receive();
            Assert.Equal(("a", true), r1);
            Assert.Equal(("b", true), r2);
            Assert.False(r3.Ok);
            Assert.Null(r3.Value);
            Assert.False(r4.Ok);
            Assert.True(ch.TryReceive(out var v, out var ok));   // ready, not ok
            Assert.False(ok);
            Assert.Null(v);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Send_on_a_closed_channel_throws()
    {
        var value = await InProcess(async p =>
        {
            var unbuffered = p.NewChannel<int>();
            var buffered = p.NewChannel<int>(4);
            unbuffered.Close();
            buffered.Close();
            foreach (var ch in new[] { unbuffered, buffered })
            {
                var e = await Assert.ThrowsAsync<ChannelClosedException>(async () => await ch.Send(1));
                Assert.Equal("send on closed channel", e.Message);
                Assert.Equal(ErrorKind.InvalidState, e.Kind);
                Assert.Throws<ChannelClosedException>(() => ch.TrySend(1));
            }
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Close_wakes_parked_receivers_with_not_ok_and_parked_senders_with_an_error()
    {
        var value = await InProcess(async p =>
        {
            var rx = p.NewChannel<int>();
            var tx = p.NewChannel<int>(1);
            var done = p.NewChannel<bool>(4);
            var log = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                int who = i;
                p.Go(async () =>
                {
                    var (v, ok) = await rx.Receive();
                    log.Add($"r{who}:{v}:{ok}");
                    done.TrySend(true);
                });
            }
            tx.TrySend(0);                                     // full
            for (int i = 0; i < 2; i++)
            {
                int who = i;
                p.Go(async () =>
                {
                    try
                    {
                        await tx.Send(who + 1);
                        log.Add($"s{who}:sent");
                    }
                    catch (ChannelClosedException) { log.Add($"s{who}:closed"); }
                    done.TrySend(true);
                });
            }
            Assert.Empty(log);
            rx.Close();
            tx.Close();
            for (int i = 0; i < 4; i++) await done.Receive();
            Assert.Equal((0, true), await tx.Receive());         // the buffered value survives the close
            Assert.False((await tx.Receive()).Ok);               // the parked senders' values were not buffered
            return string.Join(",", log);
        });
        Assert.Equal("r0:0:False,r1:0:False,s0:closed,s1:closed", value);
    }

    [Fact]
    public async Task Closing_twice_does_nothing()
    {
        var value = await InProcess(async p =>
        {
            var ch = p.NewChannel<int>(1);
            ch.TrySend(5);
            ch.Close();
            ch.Close();
            Assert.Equal((5, true), await ch.Receive());
            ch.Close();
            Assert.False((await ch.Receive()).Ok);
            return "ok";
        });
        Assert.Equal("ok", value);
    }

    [Fact]
    public async Task Negative_capacity_is_invalid()
    {
        await InProcess(p =>
        {
            var e = Assert.Throws<WispException>(() => p.NewChannel<int>(-1));
            Assert.Equal(ErrorKind.Invalid, e.Kind);
            return Task.FromResult<object?>(null);
        });
    }

    [Fact]
    public async Task Channel_used_from_another_process_is_refused()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var ch = p.NewChannel<int>(4);
            var other = p.Spawn(async c =>
            {
                var m = await c.Inbox.Next();
                var foreign = m.Payload<Channel<int>>();
                var errors = new List<string>();
                foreach (var use in new Action[]
                {
                    () => foreign.TrySend(1),
                    () => foreign.TryReceive(out _, out _),
                    () => foreign.Close(),
                    () => _ = foreign.Send(1),
                    () => _ = foreign.Receive(),
                    () => c.TrySelect(foreign.CaseReceive()),
                })
                {
                    var e = Assert.Throws<WispException>(use);
                    Assert.Equal(ErrorKind.InvalidState, e.Kind);
                    Assert.Contains("process-local", e.Message);
                    errors.Add(e.Kind.ToString());
                }
                return errors.Count;
            }, SpawnOptions.Monitored);
            p.Send(other, "channel", ch);
            var exit = await p.Events.Next();
            Assert.Null(exit.Result!.Error);
            Assert.Equal(0, ch.Count);                         // nothing got in
            Assert.False(ch.IsClosed);
            return exit.Result.Value;
        });
        Assert.Equal(6, value);
    }

    [Fact]
    public async Task Channel_used_from_outside_any_process_is_refused()
    {
        var node = new TestNode();
        var probe = new Probe<Channel<int>>();
        var (pid, exit) = await node.Start(async p =>
        {
            probe.Put(p.NewChannel<int>(1));
            await p.Inbox.Next();
            return null;
        });
        var ch = await probe.Take();
        var e = Assert.Throws<WispException>(() => ch.TrySend(1));
        Assert.Equal(ErrorKind.InvalidState, e.Kind);
        node.Node.Send(pid, "done", null);
        await exit;
    }
}
