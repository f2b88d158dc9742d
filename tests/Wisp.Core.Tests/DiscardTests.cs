namespace Wisp.Tests;

/// <summary>
/// Messages a process never reads: discarded when it exits, wherever they wait, and counted in
/// <see cref="Node.DiscardedMessages"/>; a send after the exit is refused to its sender instead.
/// </summary>
public class DiscardTests
{
    public enum Waiting { Held, Inbox, Listen, InboxAndListen }

    [Theory]
    [InlineData(Waiting.Held)]
    [InlineData(Waiting.Inbox)]
    [InlineData(Waiting.Listen)]
    [InlineData(Waiting.InboxAndListen)]
    public async Task Messages_unread_at_exit_are_counted_as_discarded(Waiting where)
    {
        const int Sent = 5;
        var node = new TestNode();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var (pid, exit) = await node.Start(async p =>
        {
            if (where is Waiting.Inbox or Waiting.InboxAndListen) _ = p.Inbox;
            if (where is Waiting.Listen or Waiting.InboxAndListen) p.Listen("t");
            ready.SetResult();
            await never.Task;   // reads nothing
            return null;
        });
        await ready.Task;
        for (int i = 0; i < Sent; i++) node.Node.Send(pid, i % 2 == 0 ? "t" : "other", i);
        node.Node.Terminate(pid);
        Assert.Equal("process terminated", (await exit).Error?.Message);

        Assert.Equal(Sent, node.Node.DiscardedMessages);
        var refused = Assert.Throws<WispException>(() => node.Node.Send(pid, "t", "late"));
        Assert.Equal(ErrorKind.NotFound, refused.Kind);
        Assert.Equal(Sent, node.Node.DiscardedMessages);
    }

    [Fact]
    public async Task Messages_read_before_a_normal_exit_are_not_counted()
    {
        var node = new TestNode();
        var (pid, exit) = await node.Start(async p =>
        {
            for (int i = 0; i < 3; i++) await p.Inbox.Next();
            return "done";
        });
        for (int i = 0; i < 3; i++) node.Node.Send(pid, "t", i);
        Assert.Equal("done", (await exit).Value);
        Assert.Equal(0, node.Node.DiscardedMessages);
    }
}
