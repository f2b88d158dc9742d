using BenchmarkDotNet.Attributes;

namespace Wisp.Benchmarks;

/// <summary>
/// Channel and select operations inside one long-lived process (see <see cref="ProcessRunner"/>).
/// Each figure is per operation; targets in issue 3: buffered ≤100 ns, rendezvous ≤250 ns, select ready ≤150 ns,
/// select that parks ≤400 ns, all 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class ChannelBenchmarks
{
    public const int N = 10_000;

    private ProcessRunner _runner = null!;
    private Channel<int> _buffered = null!;
    private Channel<int> _unbuffered = null!;
    private Channel<int>[] _ready = null!;         // [0] refilled each op; [1..3] hold one value forever
    private Channel<object>[] _readyRef = null!;
    private Channel<int> _request = null!, _response = null!, _never1 = null!, _never2 = null!;
    private readonly object _token = new();
    private ProcessContext _process;

    private Func<ProcessContext, ValueTask> _bufferedOp = null!, _rendezvousOp = null!, _select2Op = null!,
        _select4Op = null!, _select2RefOp = null!, _selectParksOp = null!;
    private Func<Task> _rendezvousReceiver = null!, _selectParksWaiter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _runner = new ProcessRunner();
        _runner.Run(p =>
        {
            _process = p;
            _buffered = p.NewChannel<int>(1);
            _unbuffered = p.NewChannel<int>();
            _ready = [p.NewChannel<int>(1), p.NewChannel<int>(1), p.NewChannel<int>(1), p.NewChannel<int>(1)];
            for (int i = 1; i < 4; i++) _ready[i].TrySend(i);
            _readyRef = [p.NewChannel<object>(1), p.NewChannel<object>(1)];
            _readyRef[1].TrySend(_token);
            _request = p.NewChannel<int>();
            _response = p.NewChannel<int>();
            _never1 = p.NewChannel<int>();
            _never2 = p.NewChannel<int>();
            return ValueTask.CompletedTask;
        });
        _bufferedOp = Buffered;
        _rendezvousOp = Rendezvous;
        _rendezvousReceiver = RendezvousReceiver;
        _select2Op = p => SelectReady(p, 2);
        _select4Op = p => SelectReady(p, 4);
        _select2RefOp = SelectReadyRef;
        _selectParksOp = SelectParks;
        _selectParksWaiter = SelectParksWaiter;
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary>Send then receive on a channel of capacity 1: one op = one send + one receive, neither waits.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void BufferedSendReceive() => _runner.Run(_bufferedOp);

    private async ValueTask Buffered(ProcessContext p)
    {
        var ch = _buffered;
        for (int i = 0; i < N; i++)
        {
            await ch.Send(i);
            await ch.Receive();
        }
    }

    /// <summary>Unbuffered channel between two coroutines of one process: one op = one value handed over.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void Rendezvous() => _runner.Run(_rendezvousOp);

    private async ValueTask Rendezvous(ProcessContext p)
    {
        p.Go(_rendezvousReceiver);
        var ch = _unbuffered;
        for (int i = 0; i < N; i++) await ch.Send(i);
    }

    private async Task RendezvousReceiver()
    {
        var ch = _unbuffered;
        for (int i = 0; i < N; i++) await ch.Receive();
    }

    /// <summary>Select over 2 receive cases, both ready (int values); one op = one buffered TrySend + one select.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void SelectReady2() => _runner.Run(_select2Op);

    /// <summary>Select over 4 receive cases, all ready (int values); one op = one buffered TrySend + one select.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void SelectReady4() => _runner.Run(_select4Op);

    private async ValueTask SelectReady(ProcessContext p, int cases)
    {
        var c = _ready;
        for (int i = 0; i < N; i++)
        {
            c[0].TrySend(i);
            var r = cases == 2
                ? await p.Select(c[0].CaseReceive(), c[1].CaseReceive())
                : await p.Select(c[0].CaseReceive(), c[1].CaseReceive(), c[2].CaseReceive(), c[3].CaseReceive());
            if (r.Index != 0) throw new InvalidOperationException("declared order: case 0 should win");
        }
    }

    /// <summary>As <see cref="SelectReady2"/> with a reference-type payload: isolates the boxing of int values.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void SelectReady2_RefPayload() => _runner.Run(_select2RefOp);

    private async ValueTask SelectReadyRef(ProcessContext p)
    {
        var c = _readyRef;
        for (int i = 0; i < N; i++)
        {
            c[0].TrySend(_token);
            var r = await p.Select(c[0].CaseReceive(), c[1].CaseReceive());
            if (r.Index != 0) throw new InvalidOperationException("declared order: case 0 should win");
        }
    }

    /// <summary>
    /// Two coroutines, each parked in a 2-case select (one case never ready) and woken by the other's TrySend:
    /// one op = one select that parks, is woken by a send on one of its channels, and resumes (2 per round trip).
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * N)]
    public void SelectParksAndIsWoken() => _runner.Run(_selectParksOp);

    private async ValueTask SelectParks(ProcessContext p)
    {
        p.Go(_selectParksWaiter);
        var (req, resp, never) = (_request, _response, _never2);
        for (int i = 0; i < N; i++)
        {
            if (!req.TrySend(i)) throw new InvalidOperationException("the waiter should be parked in its select");
            await p.Select(resp.CaseReceive(), never.CaseReceive());
        }
    }

    private async Task SelectParksWaiter()
    {
        var (req, resp, never) = (_request, _response, _never1);
        var p = _process;
        for (int i = 0; i < N; i++)
        {
            var r = await p.Select(req.CaseReceive(), never.CaseReceive());
            if (!resp.TrySend(r.Index)) throw new InvalidOperationException("the main coroutine should be parked in its select");
        }
    }
}
