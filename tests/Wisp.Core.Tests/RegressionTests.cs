namespace Wisp.Tests;

/// <summary>Cases found in review, each once broken: kept so they stay fixed.</summary>
public class RegressionTests
{
    [Fact]
    public async Task A_withdrawn_select_send_case_leaves_the_channel_queues_intact()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var ch = p.NewChannel<int>();
            var other = p.NewChannel<int>(1);
            p.Go(async () => await ch.Send(1));                          // a plain sender parks first
            other.TrySend(0);
            var sel = p.Select(ch.CaseSend(2), other.CaseReceive());    // other is ready: the send case never parks
            Assert.Equal(1, (await sel).Index);
            p.Go(async () => await ch.Send(3));
            var sel2 = p.Select(ch.CaseSend(4), other.CaseReceive());   // parks behind two plain senders...
            p.Go(async () => await other.Send(9));                      // ...and is withdrawn when other fires
            Assert.Equal(1, (await sel2).Index);
            var got = new List<int>();
            for (int i = 0; i < 2; i++) got.Add((await ch.Receive()).Value);
            p.Go(async () => got.Add((await ch.Receive()).Value));       // parks a receiver: it must be seen
            Assert.True(ch.TrySend(5), "the parked receiver is invisible: the queues were corrupted");
            await p.Sleep(TimeSpan.FromMilliseconds(1));
            return string.Join(",", got);
        });
        Assert.Equal("1,3,5", value);
    }

    [Fact]
    public void A_default_process_context_refuses_every_use_with_a_clear_error()
    {
        ProcessContext none = default;
        foreach (var use in new Action[] { () => _ = none.Pid, () => none.Send(Pid.Parse("{app:processes|0x00001}"), "t"), () => _ = none.Inbox })
        {
            var e = Assert.Throws<WispException>(use);
            Assert.Equal(ErrorKind.InvalidState, e.Kind);
            Assert.Contains("default ProcessContext", e.Message);
        }
    }

    [Fact]
    public async Task A_process_gets_the_same_logger_on_every_call_from_its_code()
    {
        var node = new TestNode();
        var same = await node.Value(p => Task.FromResult<object?>(ReferenceEquals(p.Logger, p.Logger)));
        Assert.Equal(true, same);
    }

    [Fact]
    public async Task A_process_failing_with_another_process_exited_error_still_exits()
    {
        var node = new TestNode();
        ProcessContext parent = default;
        await node.Run(p =>
        {
            parent = p;
            return Task.FromResult<object?>(null);
        });
        var result = await node.Run(async c =>
        {
            await c.Sleep(TimeSpan.FromMilliseconds(1));
            parent.Send(c.Pid, "late");                                 // the parent has exited: it throws
            return "unreachable";
        });
        Assert.IsType<ProcessExitedException>(result.Error?.Exception);
    }

    [Fact]
    public async Task No_link_down_after_unlink_even_if_it_was_already_posted()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var child = p.Spawn(_ => throw new InvalidOperationException("boom"), SpawnOptions.Linked);
            try
            {
                p.Node.WhenExited(child).Wait();   // blocks this loop (test only): the LINK_DOWN is now in its mailbox
            }
            catch (WispException e) when (e.Kind == ErrorKind.NotFound) { }   // already gone: posted too
            p.Unlink(child);
            await p.NoEventBeforeMarker();
            return "alive";
        });
        Assert.Equal("alive", value);
    }

    [Fact]
    public async Task Unlisten_without_an_inbox_keeps_arrival_order()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var listen = p.Listen("a");
            p.Send(p.Pid, "a", 1);
            p.Send(p.Pid, "b", 2);                                      // held: there is no inbox yet
            await p.Sleep(TimeSpan.FromMilliseconds(1));                // both routed
            p.Unlisten(listen);
            var first = await p.Inbox.Next();
            var second = await p.Inbox.Next();
            return $"{first.Payload<int>()},{second.Payload<int>()}";
        });
        Assert.Equal("1,2", value);
    }
}
