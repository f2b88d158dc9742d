using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(j) The host's mailbox limit under concurrent senders.</summary>
public class MailboxLimitTests(ITestOutputHelper output)
{
    /// <summary>
    /// Three senders on three threads race to a process that never reads, on a host whose limit is 2: exactly two
    /// sends are accepted and the third fails with "mailbox full", whatever the interleaving (a check of the count
    /// followed by a separate add lets two senders both see room for one).
    /// </summary>
    [Fact]
    public void Concurrent_senders_never_pass_the_mailbox_limit() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode(new HostOptions { MailboxLimit = 2 });
            var sink = t.Spawn(async p =>
            {
                _ = p.Inbox;   // touched, never read
                await p.Listen("stop").Receive();
                return null;
            });
            int accepted = 0, refused = 0;
            await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() =>
            {
                try
                {
                    t.Node.Send(sink, "m", i);
                    Interlocked.Increment(ref accepted);
                }
                catch (WispException e) when (e.Kind == ErrorKind.LimitExceeded)
                {
                    Interlocked.Increment(ref refused);
                }
            })));
            Specification.Assert(accepted == 2 && refused == 1, "accepted {0} and refused {1} with a limit of 2", accepted, refused);
            t.Node.Terminate(sink);
        });
}
