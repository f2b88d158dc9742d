namespace Wisp.Tests;

/// <summary>
/// The registry's name table (NameTable.cs) alone: runs of colliding names, a process holding several names on one
/// run, growing and shrinking, and the release of an exited process's slots.
/// </summary>
public class NameTableTests
{
    private readonly Host _host = new Node().AddHost("app:names");
    private readonly ProcessDefinition _body = ProcessDefinition.FromBody("", _ => Task.FromResult<object?>(null));
    private ulong _lastId;

    /// <summary>A name's hash is the number after its '@' ("x@3": slot 3 of 16), else 7: runs placed at will.</summary>
    private sealed class Colliding : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);
        public int GetHashCode(string obj) => obj.IndexOf('@') is var at and >= 0 ? int.Parse(obj[(at + 1)..]) : 7;
    }

    private Process NewProcess() => new(_host, new Pid("", _host.Id, ++_lastId), _body, []);

    private static Process Added(NameTable table, string name, Process process)
    {
        Assert.True(table.TryAdd(name, process, out var holder));
        Assert.Same(process, holder);
        return process;
    }

    [Fact]
    public void A_name_past_a_removed_one_on_its_run_is_still_found()
    {
        var table = new NameTable(new Colliding());
        var (a, b, c) = (Added(table, "a", NewProcess()), Added(table, "b", NewProcess()), Added(table, "c", NewProcess()));

        Assert.True(table.Remove("a", a));
        Assert.False(table.Remove("a", a));
        Assert.False(table.Remove("b", c));   // held by another

        Assert.Null(table.Find("a"));
        Assert.Same(b, table.Find("b"));
        Assert.Same(c, table.Find("c"));
        Assert.Empty(NameTable.NamesOf(a));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Held_names_refuse_others_and_are_idempotent_for_their_holder()
    {
        var table = new NameTable();
        var (first, second) = (Added(table, "svc", NewProcess()), NewProcess());

        Assert.False(table.TryAdd("svc", second, out var holder));
        Assert.Same(first, holder);
        Assert.False(table.TryAdd("svc", first, out holder));
        Assert.Same(first, holder);
        Assert.Equal(["svc"], NameTable.NamesOf(first));
        Assert.Equal(1, table.Count);
    }

    /// <summary>
    /// One process holds three names whose runs start at slots 0, 1 and 1 and overlap (another process sits on them
    /// too): whatever order they are added and removed in, the names not yet removed are found, as a removal empties
    /// the first slot holding the process on the name's run, which may have stood for another of its names.
    /// </summary>
    [Fact]
    public void A_process_with_several_names_on_overlapping_runs_keeps_the_rest_whatever_the_order()
    {
        string[] names = ["x@0", "y@1", "z@1"];
        foreach (var adding in Permutations(names))
            foreach (var removing in Permutations(names))
            {
                var table = new NameTable(new Colliding());
                var (owner, other) = (NewProcess(), NewProcess());
                Added(table, adding[0], owner);
                Added(table, "other@0", other);
                foreach (var name in adding.Skip(1)) Added(table, name, owner);

                for (int i = 0; i < removing.Length; i++)
                {
                    Assert.True(table.Remove(removing[i], owner));
                    foreach (var kept in removing.Skip(i + 1)) Assert.Same(owner, table.Find(kept));
                    Assert.Null(table.Find(removing[i]));
                    Assert.Same(other, table.Find("other@0"));
                    Assert.Equal(removing.Length - i - 1 + 1, table.Count);
                }
            }
    }

    [Fact]
    public void The_table_grows_with_its_names_and_shrinks_when_they_leave()
    {
        var table = new NameTable();
        var holders = Enumerable.Range(0, 5000).Select(i => Added(table, $"n{i}", NewProcess())).ToList();
        Assert.Equal(5000, table.Count);
        Assert.InRange(table.Capacity, 5000 * 4 / 3, 5000 * 4);
        Assert.All(Enumerable.Range(0, 5000), i => Assert.Same(holders[i], table.Find($"n{i}")));

        for (int i = 0; i < 4990; i++) Assert.True(table.Remove($"n{i}", holders[i]));
        Assert.Equal(10, table.Count);
        Assert.InRange(table.Capacity, 16, 80);
        Assert.All(Enumerable.Range(4990, 10), i => Assert.Same(holders[i], table.Find($"n{i}")));
        Assert.Equal(Enumerable.Range(4990, 10).Select(i => $"n{i}").Order(), table.Snapshot().Select(e => e.Name).Order());
    }

    [Fact]
    public void One_process_may_hold_names_in_numbers()
    {
        var table = new NameTable();
        var owner = NewProcess();
        var names = Enumerable.Range(0, 3000).Select(i => $"alias{i}").ToList();
        foreach (var name in names) Added(table, name, owner);
        var other = Added(table, "other", NewProcess());

        Assert.All(names, name => Assert.Same(owner, table.Find(name)));
        foreach (var name in names.Take(2999)) Assert.True(table.Remove(name, owner));
        Assert.Equal(["alias2999"], NameTable.NamesOf(owner));
        Assert.Same(owner, table.Find("alias2999"));
        Assert.Null(table.Find("alias0"));
        Assert.Same(other, table.Find("other"));
        Assert.Equal(2, table.Count);
    }

    /// <summary>
    /// An exit clears the process's names (under its monitor), then releases its slots: in between, its names are free
    /// to take and a rebuild drops its slots; the release then empties only the exited process's slots, if any are left.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_exited_process_releases_its_slots_and_leaves_a_new_holder_alone(bool rebuildInBetween)
    {
        var table = new NameTable(new Colliding());
        var exited = NewProcess();
        Added(table, "a", exited);
        Added(table, "b", exited);

        var names = exited.Names;
        exited.Names = null;   // as Topology.OnExit does
        Assert.Null(table.Find("a"));
        var taker = Added(table, "a", NewProcess());
        if (rebuildInBetween)
            for (int i = 0; i < 20; i++) Added(table, $"more{i}", NewProcess());   // past three quarters of 16: rebuilt

        table.Release(exited, names);
        Assert.Same(taker, table.Find("a"));
        Assert.Null(table.Find("b"));
        Assert.Equal(rebuildInBetween ? 21 : 1, table.Count);
        Assert.DoesNotContain(table.Snapshot(), e => e.Holder == exited);
    }

    /// <summary>Runs <see cref="Hook"/>, once, the next time a given name is hashed (a moment inside the table's lock).</summary>
    private sealed class HashHook(string on) : IEqualityComparer<string>
    {
        public Action? Hook;

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj)
        {
            if (obj == on && Interlocked.Exchange(ref Hook, null) is { } hook) hook();
            return StringComparer.Ordinal.GetHashCode(obj);
        }
    }

    /// <summary>
    /// An exit clears its process's names under the process's monitor only, so it can land while the table's lock is
    /// held by another registration (in a Debug build, while its checks read that process): nothing may count that as
    /// broken, and the name is gone.
    /// </summary>
    [Fact]
    public void An_exit_clearing_names_during_another_registration_breaks_nothing()
    {
        var hashes = new HashHook("exiting");
        var table = new NameTable(hashes);
        var exiting = Added(table, "exiting", NewProcess());
        hashes.Hook = () => exiting.Names = null;

        var other = Added(table, "other", NewProcess());
        Assert.Null(table.Find("exiting"));
        Assert.Same(other, table.Find("other"));
    }

    private static IEnumerable<string[]> Permutations(string[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany((first, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (string[])[first, .. rest]));
}
