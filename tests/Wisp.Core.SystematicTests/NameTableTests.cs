using Microsoft.Coyote.Specifications;
using Wisp.SystematicTests.Harness;
using Xunit.Abstractions;

namespace Wisp.SystematicTests;

/// <summary>(m) The registry's name table: lookups, which take no lock, racing the changes and the rebuild they cause.</summary>
public class NameTableTests(ITestOutputHelper output)
{
    /// <summary>
    /// Eleven names fill the table to its rebuild point; then one thread adds two more (the first rebuilds the table
    /// into a larger array), another removes a name, and a third looks up a name held throughout, twice. However they
    /// interleave, the held name is always found, the removed one is found only as its holder's, and at the end every
    /// name is where it should be.
    /// </summary>
    [Fact]
    public void A_name_held_throughout_is_found_by_lookups_racing_a_rebuild() =>
        Systematic.Check(output, async () =>
        {
            var newProcess = ProcessMaker();
            Process Added(NameTable table, string name)
            {
                var process = newProcess();
                table.TryAdd(name, process, out _);
                return process;
            }

            var table = new NameTable();
            var (held, leaving) = (Added(table, "held"), Added(table, "leaving"));
            for (int i = 0; i < 10; i++) Added(table, $"n{i}");
            int before = table.Capacity;
            Process? late1 = null, late2 = null;

            await Task.WhenAll(
                Task.Run(() => (late1, late2) = (Added(table, "late1"), Added(table, "late2"))),
                Task.Run(() => table.Remove("leaving", leaving)),
                Task.Run(() =>
                {
                    for (int i = 0; i < 2; i++)
                    {
                        Specification.Assert(table.Find("held") == held, "a lookup missed a name held throughout");
                        var found = table.Find("leaving");
                        Specification.Assert(found is null || found == leaving, "another process found");
                    }
                }));

            Specification.Assert(table.Capacity > before, "the table was not rebuilt ({0} slots)", table.Capacity);
            Specification.Assert(table.Find("held") == held && table.Find("late1") == late1 && table.Find("late2") == late2,
                "a name held at the end is not found");
            Specification.Assert(table.Find("leaving") is null && table.Count == 13, "count {0}, expected 13", table.Count);
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>
    /// A process holding three names exits (its names cleared under its monitor, then its slots released, as
    /// Topology.OnExit does) while another thread registers names that rebuild the table and a third looks the exiting
    /// names up. However they interleave, the exited process's names end free, the new ones are found, and the count is
    /// the new names' and the others' (a rebuild drops an exited process's slots; the release then finds none).
    /// </summary>
    [Fact]
    public void An_exit_racing_a_rebuild_leaves_its_names_free_and_the_count_right() =>
        Systematic.Check(output, async () =>
        {
            var newProcess = ProcessMaker();

            var table = new NameTable();
            var exiting = newProcess();
            foreach (var name in new[] { "x", "y", "z" }) table.TryAdd(name, exiting, out _);
            for (int i = 0; i < 8; i++) table.TryAdd($"n{i}", newProcess(), out _);   // 11 of 12 before a rebuild
            var late = new List<Process>();

            await Task.WhenAll(
                Task.Run(() =>
                {
                    object? names;
                    lock (exiting)
                    {
                        names = exiting.Names;
                        exiting.Names = null;
                    }
                    table.Release(exiting, names);
                }),
                Task.Run(() =>
                {
                    for (int i = 0; i < 3; i++)
                    {
                        var process = newProcess();
                        table.TryAdd($"late{i}", process, out _);
                        late.Add(process);
                    }
                }),
                Task.Run(() =>
                {
                    var found = table.Find("y");
                    Specification.Assert(found is null || found == exiting, "another process found under an exiting name");
                }));

            Specification.Assert(table.Find("x") is null && table.Find("y") is null && table.Find("z") is null, "an exited name is still found");
            for (int i = 0; i < 3; i++) Specification.Assert(table.Find($"late{i}") == late[i], "late{0} is not found", i);
            Specification.Assert(table.Count == 11, "count {0}, expected 11", table.Count);
        }, configure: c => c.WithMemoryAccessRaceCheckingEnabled(true));

    /// <summary>A maker of processes (never run) on a host of their own, with ids 1, 2, 3…</summary>
    private static Func<Process> ProcessMaker()
    {
        var host = new Node().AddHost("app:names");
        var body = ProcessDefinition.FromBody("", _ => Task.FromResult<object?>(null));
        ulong lastId = 0;
        return () => new Process(host, new Pid("", host.Id, ++lastId), body, []);
    }
}
