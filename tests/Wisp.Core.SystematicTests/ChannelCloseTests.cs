using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>
/// Close against parked senders and receivers of one channel. Channels are loop-local, but when each coroutine
/// starts to send, to receive or to close is decided by messages from three threads, so at the close any mix of
/// senders and receivers may be parked, and an unbuffered or a buffered channel may hold values.
/// </summary>
public class ChannelCloseTests(ITestOutputHelper output)
{
    private const int Senders = 2, Receivers = 3, PerSender = 2;

    /// <summary>
    /// Two senders send two values each once "send" comes; three receivers receive until the channel is closed
    /// once "receive" comes; a closer closes it when "close" comes. Every waiter is woken: each receiver ends (on the
    /// close, after what the buffer held), each send completes or raises ChannelClosedException; every value is
    /// received exactly once or refused to its sender, never both, never lost, never duplicated; after the close
    /// only what the buffer held is received (a sender parked at the close is refused, not handed on).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Close_wakes_every_waiter_and_each_value_is_received_once_or_refused(int capacity) =>
        Systematic.Check(output, async () =>
        {
            var t = new TestNode();
            var (pid, exited) = t.SpawnGated(async p =>
            {
                var ch = p.NewChannel<int>(capacity);
                var send = p.Listen("send");
                var receive = p.Listen("receive");
                var close = p.Listen("close");
                var received = new List<int>();
                var refused = new List<int>();
                bool closed = false;
                int receivedAfterClose = 0;
                var done = p.NewChannel<string>(Senders + Receivers);

                for (int s = 0; s < Senders; s++)
                {
                    int first = s * PerSender;
                    p.Go(async () =>
                    {
                        await send.Receive();
                        for (int v = first; v < first + PerSender; v++)
                        {
                            try { await ch.Send(v); }
                            catch (ChannelClosedException) { refused.Add(v); }
                        }
                        await done.Send("sender");
                    });
                }
                for (int r = 0; r < Receivers; r++)
                    p.Go(async () =>
                    {
                        await receive.Receive();
                        while (true)
                        {
                            // Judged by when the receive starts: one that completed before the close may resume after it.
                            bool startedAfterClose = closed;
                            if (await ch.Receive() is not (var value, true)) break;
                            received.Add(value);
                            if (startedAfterClose) receivedAfterClose++;
                        }
                        await done.Send("receiver");
                    });
                p.Go(async () =>
                {
                    await close.Receive();
                    ch.Close();
                    closed = true;
                });

                for (int i = 0; i < Senders + Receivers; i++) await done.Receive();   // a waiter never woken: a deadlock
                var all = received.Concat(refused).Order().ToList();
                Specification.Assert(all.SequenceEqual(Enumerable.Range(0, Senders * PerSender)),
                    "received [{0}], refused [{1}]", string.Join(",", received), string.Join(",", refused));
                Specification.Assert(receivedAfterClose <= capacity, "{0} receive(s) started after the close got a value, with room for {1} in the buffer",
                    receivedAfterClose, capacity);
                Specification.Assert(ch.TryReceive(out _, out var ok) && !ok, "the closed channel still holds a value");
                return "ok";
            });
            // One "send" and one "receive" message per coroutine that waits for it (a listen channel delivers each message once).
            var sends = Enumerable.Range(0, Senders).Select(_ => Task.Run(() => t.Node.Send(pid, "send", null)));
            var receives = Enumerable.Range(0, Receivers).Select(_ => Task.Run(() => t.Node.Send(pid, "receive", null)));
            await Task.WhenAll([.. sends, .. receives, Task.Run(() => t.Node.Send(pid, "close", null))]);
            var result = await exited;
            Specification.Assert(result.Value is "ok", "process ended with {0}", result.Describe());
        });
}
