using Wisp.Hosting;
using Wisp.Lua;

namespace Wisp.Workloads;

/// <summary>
/// The workloads written in Lua on Wisp (<c>wisp-lua</c>, beside Wisp's C#): process.lua entries booted from YAML
/// through the public hosting API, the way the seed's service is. Echo runs the seed's relay (its logging and
/// stats coroutine included) and worker without the worker's 100 ms sleep, with C# requesters sending a record;
/// the round trip's B is the Lua ponger and its A Wisp's C# one, which times it; the other workloads are the C# ones
/// written as a Lua programmer would.
/// </summary>
public sealed class LuaBench : RuntimeBench
{
    private const string HostId = "bench:processes";

    public override string Name => "wisp-lua";

    /// <summary>What a requester sends the relay: the seed CLI's table, as a C# record.</summary>
    public sealed record EchoRequest(Pid Sender, string Data);

    private const string Relay = """
        -- The seed's relay.lua, with a count of the EXITs it saw that the driver can ask for.
        local logger = require("logger")
        local time = require("time")

        local stats = { messages = 0, workers_spawned = 0, exits = 0 }

        local function stats_reporter()
            while true do
                time.sleep("5s")
                logger:info("stats", { messages = stats.messages, workers_spawned = stats.workers_spawned })
            end
        end

        local function main()
            local inbox = process.inbox()
            local events = process.events()
            process.registry.register("relay")
            logger:info("relay started", { pid = process.pid() })
            coroutine.spawn(stats_reporter)
            while true do
                local r = channel.select { inbox:case_receive(), events:case_receive() }
                if r.channel == events then
                    local event = r.value
                    if event.kind == process.event.EXIT then
                        stats.exits = stats.exits + 1
                        logger:info("worker exited", { from = event.from, result = event.result })
                    end
                else
                    local msg = r.value
                    if msg:topic() == "echo" then
                        local echo = msg:payload():data()
                        stats.messages = stats.messages + 1
                        local worker_pid, err = process.spawn_monitored("bench:worker", "bench:processes", echo.sender, echo.data)
                        if err then logger:error("spawn failed", { error = err })
                        else stats.workers_spawned = stats.workers_spawned + 1 end
                    elseif msg:topic() == "count" then
                        process.send(msg:from(), "count", stats.exits)
                    end
                end
            end
        end

        return { main = main }
        """;

    private const string Worker = """
        -- The seed's worker.lua without its sleep.
        local function main(sender_pid, data)
            local response = { data = string.upper(data), worker = process.pid() }
            process.send(sender_pid, "echo_response", response)
            return 0
        end
        return { main = main }
        """;

    private const string SpawnParent = """
        return { main = function(children, window)
            local events = process.events()
            local spawned, exited = 0, 0
            while spawned < math.min(window, children) do
                process.send(process.spawn_monitored("bench:spawn-child", "bench:processes"), "go")
                spawned = spawned + 1
            end
            while exited < children do
                local e = events:receive()
                if e.kind == process.event.EXIT then
                    exited = exited + 1
                    if spawned < children then
                        process.send(process.spawn_monitored("bench:spawn-child", "bench:processes"), "go")
                        spawned = spawned + 1
                    end
                end
            end
            return exited
        end }
        """;

    private const string SpawnChild = "return { main = function() process.inbox():receive() return 0 end }";

    private const string IdleSource = """
        return { main = function(name, probe)
            process.registry.register(name)
            local inbox = process.inbox()
            process.send(probe, "parked")
            inbox:receive()
        end }
        """;

    private const string Ponger = """
        return { main = function()
            local inbox = process.inbox()
            while true do
                local m = inbox:receive()
                process.send(m:from(), "pong")
            end
        end }
        """;

    private const string Pinger = """
        return { main = function(ponger, window, total)
            local inbox = process.inbox()
            local sent = 0
            while sent < math.min(window, total) do
                process.send(ponger, "ping")
                sent = sent + 1
            end
            for _ = 1, total do
                inbox:receive()
                if sent < total then
                    process.send(ponger, "ping")
                    sent = sent + 1
                end
            end
            return total
        end }
        """;

    private const string SkynetSource = """
        -- A skynet node, as the peers' nodes: spawned without arguments, told its work ({num, size}) in one message,
        -- it answers that message's sender. A leaf sends its number; the others spawn 10 children and sum their replies.
        return { main = function()
            local inbox = process.inbox()
            local start = inbox:receive()
            local work = start:payload():data()
            local num, size = work[1], work[2]
            if size == 1 then
                process.send(start:from(), "sum", num)
                return
            end
            local sub = size // 10
            for i = 0, 9 do
                process.send(process.spawn("bench:skynet", "bench:processes"), "start", { num + i * sub, sub })
            end
            local sum = 0
            for _ = 1, 10 do sum = sum + inbox:receive():payload():data() end
            process.send(start:from(), "sum", sum)
        end }
        """;

    private const string SkynetRoot = """
        return { main = function(leaves)
            process.send(process.spawn("bench:skynet", "bench:processes"), "start", { 0, leaves })
            return process.inbox():receive():payload():data()
        end }
        """;

    private const string Subscriber = """
        return { main = function(rounds)
            local inbox = process.inbox()
            for _ = 1, rounds do inbox:receive() end
            return rounds
        end }
        """;

    private const string Publisher = """
        return { main = function(subscribers, rounds)
            for _ = 1, rounds do
                for i = 1, #subscribers do process.send(subscribers[i], "tick") end
            end
        end }
        """;

    private static readonly (string Name, string Source)[] Entries =
    [
        ("relay", Relay), ("worker", Worker), ("spawn-parent", SpawnParent), ("spawn-child", SpawnChild), ("idle", IdleSource),
        ("ping", Pinger), ("pong", Ponger), ("skynet", SkynetSource), ("skynet-root", SkynetRoot), ("subscriber", Subscriber),
        ("publisher", Publisher),
    ];

    /// <summary>How long a stopping host waits for its processes: the seed's relay hears no CANCEL, so it is terminated.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromMilliseconds(200);

    /// <summary>A node booted from the entries above, written to a temporary folder.</summary>
    private static async Task<(WispRuntime Runtime, LuaRuntime Lua)> Boot()
    {
        var src = Path.Combine(Path.GetTempPath(), "wisp-lua-bench-" + Guid.NewGuid().ToString("N"), "src");
        Directory.CreateDirectory(src);
        var index = new System.Text.StringBuilder("namespace: bench\nentries:\n  - name: processes\n    kind: process.host\n");
        foreach (var (name, source) in Entries)
        {
            File.WriteAllText(Path.Combine(src, name + ".lua"), source);
            index.Append($"  - name: {name}\n    kind: process.lua\n    source: file://{name}.lua\n    modules: [time, logger]\n");
        }
        File.WriteAllText(Path.Combine(src, "_index.yaml"), index.ToString());
        var lua = new LuaRuntime();
        var runtime = WispRuntime.Load(new WispRuntimeOptions { SourceDirectory = src, ProcessKinds = [lua], HostStopTimeout = StopWait });
        await runtime.StartAsync();
        return (runtime, lua);
    }

    private static async Task<T> Within<T>(Task<T> task, TimeSpan timeout) => await task.WaitAsync(timeout);

    // ---- echo: the seed's relay and worker, C# requesters ----

    public override async Task<EchoRun> Echo(LatencyLog[] logs, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        var node = runtime.Node;
        node.Spawn("bench:relay", HostId);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(HostId, async p =>
        {
            while (p.Registry.Lookup("relay") is null) await p.Sleep(TimeSpan.FromMilliseconds(1));
            registered.SetResult();
            return null;
        });
        await registered.Task.WaitAsync(timeout);

        var done = new Countdown(logs.Length);
        long start = Now();
        foreach (var log in logs)
            node.Spawn(HostId, async p =>
            {
                var inbox = p.Inbox;
                var request = new EchoRequest(p.Pid, "ping");
                for (int i = 0; i < log.Count; i++)
                {
                    long t0 = Now();
                    p.Send("relay", "echo", request);
                    await inbox.Receive();
                    log.Ticks[i] = Now() - t0;
                }
                done.Signal();
                return null;
            });
        await done.Task.WaitAsync(timeout);
        int requests = LatencyLog.Total(logs);
        int exits = await ExitsSeen(node, requests, timeout);
        long elapsed = Now() - start;
        await runtime.ShutdownAsync();
        return new EchoRun(elapsed, logs, exits, requests);
    }

    /// <summary>Asks the relay how many EXITs it has seen until it has seen them all (at most 10 s more).</summary>
    private static async Task<int> ExitsSeen(Node node, int expected, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(HostId, async p =>
        {
            var until = p.Now + TimeSpan.FromSeconds(10);
            while (true)
            {
                p.Send("relay", "count", null);
                var (m, _) = await p.Inbox.Receive();
                int count = (int)m.Payload<long>();
                if (count >= expected || p.Now > until)
                {
                    seen.SetResult(count);
                    return null;
                }
                await p.YieldSlice();
            }
        });
        return await seen.Task.WaitAsync(timeout);
    }

    // ---- spawn + one message + exit, monitored ----

    public override async Task<long> Spawn(int children, int window, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        long start = Now();
        var (_, exited) = runtime.Node.SpawnWatched("bench:spawn-parent", HostId, children, window);
        var result = await exited.WaitAsync(timeout);
        long elapsed = Now() - start;
        if (result.Value is not long n || n != children) throw new InvalidOperationException($"spawn: {result}");
        await runtime.ShutdownAsync();
        return elapsed;
    }

    // ---- idle ----

    public override async Task<IdleRun> Idle(string[] names, TimeSpan timeout)
    {
        var (runtime, lua) = await Boot();
        var node = runtime.Node;
        var parked = new Countdown(names.Length);
        var probe = node.Spawn(HostId, async p =>
        {
            for (int i = 0; i < names.Length; i++)
            {
                await p.Inbox.Receive();
                parked.Signal();
            }
            return null;
        });
        var probeText = probe.ToString();
        long heapBefore = Memory.SettledHeap(), rssBefore = Memory.Rss(), nativeBefore = lua.NativeBytes;
        long start = Now();
        foreach (var name in names) node.Spawn("bench:idle", HostId, name, probeText);
        await parked.Task.WaitAsync(timeout);
        long spawnTicks = Now() - start;
        await Task.Delay(200);   // let the last slices finish parking
        await lua.CollectGarbageAsync();
        long heapAfter = Memory.SettledHeap(), rssAfter = Memory.Rss(), nativeAfter = lua.NativeBytes;
        if (node.Registry.Lookup(names[^1]) is null || node.ProcessCount < names.Length) throw new InvalidOperationException("idle processes missing");
        GC.KeepAlive(node);
        return new IdleRun(names.Length, Stats.Seconds(spawnTicks), heapBefore, heapAfter, rssBefore, rssAfter)
        {
            NativeBefore = nativeBefore,
            NativeAfter = nativeAfter,
        };
    }

    // ---- ping-pong ----

    public override async Task<long> PingPong(int pairs, int window, int roundTrips, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        var node = runtime.Node;
        var pongers = Enumerable.Range(0, pairs).Select(_ => node.Spawn("bench:pong", HostId)).ToArray();
        long start = Now();
        var pingers = pongers.Select(ponger => node.SpawnWatched("bench:ping", HostId, ponger.ToString(), window, roundTrips).Exited).ToArray();
        var results = await Task.WhenAll(pingers).WaitAsync(timeout);
        long elapsed = Now() - start;
        if (results.Any(r => r.Error is not null)) throw new InvalidOperationException($"ping-pong: {results.First(r => r.Error is not null)}");
        await runtime.ShutdownAsync();
        return elapsed;
    }

    // ---- round trip: the Lua ponger, timed by Wisp's C# A (time.now() is the node's wall clock, a Time value per read) ----

    public override async Task<RoundTripRun> RoundTrip(LatencyLog log, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        var node = runtime.Node;
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Spawn(HostId, WispBench.RoundTripper, node.Spawn("bench:pong", HostId), log, done);
        long elapsed = await done.Task.WaitAsync(timeout);
        await runtime.ShutdownAsync();
        return new RoundTripRun(elapsed, log, ClockNs);
    }

    // ---- skynet ----

    public override async Task<(long Ticks, long Sum)> Skynet(int leaves, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        long start = Now();
        var (_, exited) = runtime.Node.SpawnWatched("bench:skynet-root", HostId, (long)leaves);
        var result = await exited.WaitAsync(timeout);
        long elapsed = Now() - start;
        await runtime.ShutdownAsync();
        return (elapsed, result.Value is long sum ? sum : throw new InvalidOperationException($"skynet: {result}"));
    }

    // ---- fan-out ----

    public override async Task<long> Fanout(int subscribers, int rounds, TimeSpan timeout)
    {
        var (runtime, _) = await Boot();
        var node = runtime.Node;
        var subs = Enumerable.Range(0, subscribers).Select(_ => node.SpawnWatched("bench:subscriber", HostId, rounds)).ToArray();
        var list = new PayloadList(subs.Select(s => (object?)s.Pid.ToString()));
        long start = Now();
        node.Spawn("bench:publisher", HostId, list, rounds);
        await Task.WhenAll(subs.Select(s => s.Exited)).WaitAsync(timeout);
        long elapsed = Now() - start;
        await runtime.ShutdownAsync();
        return elapsed;
    }
}
