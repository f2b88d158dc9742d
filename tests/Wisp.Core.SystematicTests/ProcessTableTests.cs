using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(g) The node's paged process table: a page dying while an id it covers is being added; ids handed out at once.</summary>
public class ProcessTableTests(ITestOutputHelper output)
{
    /// <summary>
    /// Page 0 covers ids 0–63. Every id of it is handed out; 1–62 are added; then the last two of those are
    /// removed (emptying the page, which may then die) while id 63 is added and looked up. However they
    /// interleave, id 63 is found afterwards, the removed ids are not, and the count is right: an add that
    /// wrote into a page as it died would lose its process.
    /// </summary>
    [Fact]
    public void A_page_dying_while_its_last_id_is_added_loses_nothing() =>
        Systematic.Check(output, async () =>
        {
            var (table, NewProcess) = NewTable();
            var processes = new List<Process>();
            for (int i = 0; i < 63; i++) processes.Add(NewProcess(table.NewId()));
            for (int i = 0; i < 60; i++) table.Remove(Added(table, processes[i]));
            var (a, b, last) = (Added(table, processes[60]), Added(table, processes[61]), processes[62]);

            var racers = new[]
            {
                Task.Run(() => table.Remove(a)),
                Task.Run(() => table.Remove(b)),
                Task.Run(() => table.Add(last)),
                Task.Run(() => Specification.Assert(table.Find(last.Pid.Id) is null || table.Find(last.Pid.Id) == last, "a lookup found another process")),
            };
            await Task.WhenAll(racers);

            Specification.Assert(table.Find(last.Pid.Id) == last, "id {0} lost: added into a page as it died", last.Pid.Id);
            Specification.Assert(table.Find(a.Pid.Id) is null && table.Find(b.Pid.Id) is null, "a removed process is still found");
            Specification.Assert(table.Count == 1, "count {0}, expected 1", table.Count);
            table.Remove(last);
            Specification.Assert(table.Count == 0 && !table.Snapshot().Any(), "table not empty at the end");
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>
    /// The last exit from page 0 races the handing out (and the quick add and exit) of the page's last id.
    /// Whichever ends last must see the other: the page is empty and every id it covers is out, so it must be
    /// gone afterwards (a stale look at the id counter kept it forever).
    /// </summary>
    [Fact]
    public void The_last_exit_from_a_page_racing_its_last_id_leaves_no_empty_page() =>
        Systematic.Check(output, async () =>
        {
            var (table, NewProcess) = NewTable();
            var processes = new List<Process>();
            for (int i = 0; i < 62; i++) processes.Add(NewProcess(table.NewId()));   // ids 1–62 of page 0 (0–63)
            for (int i = 0; i < 61; i++) table.Remove(Added(table, processes[i]));
            var leaving = Added(table, processes[61]);

            await Task.WhenAll(
                Task.Run(() => table.Remove(leaving)),
                Task.Run(() => table.Remove(Added(table, NewProcess(table.NewId())))));   // id 63, the page's last

            Specification.Assert(table.Count == 0, "count {0}, expected 0", table.Count);
            Specification.Assert(table.PageCount == 0, "{0} page(s) left: page 0 is empty with all its ids out", table.PageCount);
        }, iterations: 1000, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));   // table-stale-counter is found at 91 (plant.sh fails if that passes 1,000)

    /// <summary>
    /// Three spawns at once take ids from one slot of <see cref="IdBlocks"/> (as threads moved between cores do) just
    /// as its block runs out: one gets the block's last id, the others take new blocks, and a removal empties the block's
    /// page meanwhile. Every id is different and every process is found: a slot moved on by a plain write hands one id
    /// out twice, and the second add overwrites the first.
    /// </summary>
    [Fact]
    public void Spawns_sharing_a_slot_as_its_block_runs_out_get_different_ids() =>
        Systematic.Check(output, async () =>
        {
            var (table, NewProcess) = NewTable();
            var processes = new List<Process>();
            for (int i = 0; i < 62; i++) processes.Add(NewProcess(table.NewId()));   // ids 1–62 of block 0 (0–63)
            for (int i = 0; i < 61; i++) table.Remove(Added(table, processes[i]));
            var leaving = Added(table, processes[61]);

            var spawned = await Task.WhenAll(
                Task.Run(() => Added(table, NewProcess(table.NewId()))),
                Task.Run(() => Added(table, NewProcess(table.NewId()))),
                Task.Run(() => Added(table, NewProcess(table.NewId()))),
                Task.Run(() => { table.Remove(leaving); return leaving; }));

            var ids = spawned[..3].Select(p => p.Pid.Id).ToList();
            Specification.Assert(ids.Distinct().Count() == 3, "an id handed out twice: {0}", string.Join(", ", ids));
            foreach (var process in spawned[..3])
                Specification.Assert(table.Find(process.Pid.Id) == process, "{0} not found after its add", process.Pid.Id);
            Specification.Assert(table.Count == 3, "count {0}, expected 3", table.Count);
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>
    /// Every id of page 0 is out; id 63 is added while another task waits to find it and removes it at once (a process
    /// posted to, run and ended as soon as it can be found), retiring the page. However they interleave, the table ends
    /// empty and the recent-page array holds no dead page: an add that wrote the array after the slot could put the
    /// page back there once its remover had cleared it.
    /// </summary>
    [Fact]
    public void An_add_racing_its_process_exit_leaves_no_dead_page_in_the_recent_array() =>
        Systematic.Check(output, async () =>
        {
            var (table, NewProcess) = NewTable();
            var processes = new List<Process>();
            for (int i = 0; i < 63; i++) processes.Add(NewProcess(table.NewId()));   // ids 1–63: every id of page 0 is out
            var last = processes[62];
            await Task.WhenAll(
                Task.Run(() => table.Add(last)),
                Task.Run(async () =>
                {
                    while (table.Find(last.Pid.Id) != last) await Task.Yield();
                    table.Remove(last);
                }));
            Specification.Assert(table.Count == 0 && table.PageCount == 0, "count {0}, pages {1}", table.Count, table.PageCount);
            Specification.Assert(table.StaleRecentPages == 0, "{0} dead page(s) left in the recent array", table.StaleRecentPages);
        }, iterations: 500, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>An empty table, and a maker of processes (never run) with a given id on a host of their own.</summary>
    private static (ProcessTable Table, Func<ulong, Process> NewProcess) NewTable()
    {
        var host = new Node().AddHost("app:table");
        var body = ProcessDefinition.FromBody("", _ => Task.FromResult<object?>(null));
        return (new ProcessTable(), id => new Process(host, new Pid("", host.Id, id), body, []));
    }

    private static Process Added(ProcessTable table, Process process)
    {
        table.Add(process);
        return process;
    }
}
