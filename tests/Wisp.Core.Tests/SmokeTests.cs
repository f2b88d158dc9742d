namespace Wisp.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Echo_between_two_processes()
    {
        var node = new TestNode();
        var value = await node.Value(async p =>
        {
            var echo = p.Spawn(async e =>
            {
                var (m, _) = await e.Inbox.Receive();
                e.Send(m.From, "reply", m.Payload<string>().ToUpperInvariant());
                return null;
            });
            p.Send(echo, "echo", "hello");
            var (reply, ok) = await p.Inbox.Receive();
            return reply.Payload<string>();
        });
        Assert.Equal("HELLO", value);
    }
}
