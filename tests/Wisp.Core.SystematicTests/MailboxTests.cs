using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(a) Many senders, one loop: the mailbox and the scheduled flag.</summary>
public class MailboxTests(ITestOutputHelper output)
{
    private const int Senders = 3;
    private const int PerSender = 3;

    /// <summary>
    /// Two senders outside any process and one sender process race to a receiver that parks on its inbox
    /// between messages (so its loop goes idle and must be woken again). Every message arrives exactly once,
    /// each sender's messages in order, and the receiver always wakes: a lost wake-up leaves the receiver
    /// parked forever, which Coyote reports as a deadlock.
    /// </summary>
    [Fact]
    public void Concurrent_senders_deliver_exactly_once_in_order_and_always_wake_the_receiver() =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var receiver = t.Spawn(async p =>
            {
                var next = new int[Senders];
                for (int i = 0; i < Senders * PerSender; i++)
                {
                    var (m, ok) = await p.Inbox.Receive();
                    Specification.Assert(ok, "inbox closed while receiving");
                    var (sender, seq) = m.Payload<(int, int)>();
                    Specification.Assert(seq == next[sender],
                        "sender {0}: got message {1}, expected {2} (lost, duplicated or reordered)", sender, seq, next[sender]);
                    next[sender]++;
                }
                Specification.Assert(!p.Inbox.TryReceive(out var extra, out _), "an extra message arrived: {0}", extra);
                return "done";
            });
            var exited = t.Node.WhenExited(receiver);   // before any send: the receiver cannot exit sooner

            var senders = new List<Task>();
            for (int s = 0; s < Senders - 1; s++)
            {
                int sender = s;
                senders.Add(Task.Run(() =>
                {
                    for (int i = 0; i < PerSender; i++) t.Node.Send(receiver, "m", (sender, i));
                }));
            }
            t.Spawn(p =>
            {
                for (int i = 0; i < PerSender; i++) p.Send(receiver, "m", (Senders - 1, i));
                return Task.FromResult<object?>(null);
            });

            await Task.WhenAll(senders);
            var result = await exited;
            Specification.Assert(result.Error is null && (string?)result.Value == "done", "receiver ended with {0}", result);
        });
}
