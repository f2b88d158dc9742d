using System.Collections.Immutable;
using System.Diagnostics;
using System.Numerics;

namespace Wisp;

/// <summary>
/// The local registry's index from a name to the process holding it: open addressing with linear probing over an
/// array of process references, 8 bytes a slot, rather than a dictionary node of 48 bytes a name. A slot holds only
/// the process; the names it holds are its own (<see cref="Process.Names"/>: null, a string, or an immutable set of them),
/// so a lookup that lands on a process asks it whether it holds the name. A process with one name also keeps its hash
/// (<see cref="Process.NameHash"/>): a lookup skips other processes without reading their names, and a rebuild places
/// it without reading or hashing the name. Lookups take no lock; changes take the
/// table's lock, and the caller holds the process's monitor (<see cref="Registry"/>), which orders them with its exit.
///
/// Invariants (a name's run: its slots from <c>hash &amp; mask</c> on to the first empty slot):
/// - each name a process holds has a slot holding that process on the name's run, and a process is in as many slots
///   as it holds names (a process that has exited, whose names are cleared, stays in its slots until
///   <see cref="Release"/> empties one per name it held);
/// - a slot goes empty → process → tombstone, and becomes empty again only in a new array (a rebuild), so a run only
///   grows while its array is current; a new array is filled before it is published, and an old one is never
///   written again;
/// - <see cref="Process.Names"/> changes only under this lock (and the process's monitor) or, at exit, to null; its
///   values are immutable, so a reader sees a whole one, and a single name's hash is written before the name;
/// - removing a name empties the first slot holding its process on the name's run: if that slot stood for another
///   name of the same process, the removed name's own slot lies further on the same run with no empty slot in
///   between, so it is on that other name's run and stands for it instead;
/// - at most three quarters of the slots are used (processes and tombstones), so every run ends.
/// A lookup takes no lock: it may miss a name added while it runs, or find one removed while it runs, but never misses
/// a name held throughout, nor finds a process that held the name at no moment of it. Lock order: the process's
/// monitor, then this table's lock; nothing is taken while the table's lock is held.
/// </summary>
internal sealed class NameTable(IEqualityComparer<string>? comparer = null)
{
    private const int MinCapacity = 16;
    private static readonly object Tombstone = new();

    private readonly IEqualityComparer<string> _comparer = comparer ?? StringComparer.Ordinal;
    private readonly object _gate = new();   // a Monitor, which Coyote controls (it does not know System.Threading.Lock)
    private object?[] _slots = new object?[MinCapacity];
    private int _used;   // slots holding a process or a tombstone
    private int _live;   // slots holding a process

    /// <summary>Slots holding a process: names held, and those of exited processes not yet released (tests).</summary>
    internal int Count => Volatile.Read(ref _live);

    /// <summary>The slots' array's length (tests: it grows and shrinks with the names).</summary>
    internal int Capacity => Volatile.Read(ref _slots).Length;

    /// <summary>The process holding <paramref name="name"/>, or null. Takes no lock.</summary>
    public Process? Find(string name) => Find(Volatile.Read(ref _slots), name, Hash(name));

    /// <summary>
    /// Adds <paramref name="name"/> for <paramref name="process"/>; false, with the holder (which may be the same
    /// process), when the name is held. The caller holds the process's monitor and has checked it has not exited.
    /// </summary>
    public bool TryAdd(string name, Process process, out Process holder)
    {
        lock (_gate)
        {
            int hash = Hash(name);
            if (Find(_slots, name, hash) is { } current)
            {
                holder = current;
                return false;
            }
            if (_used + 1 > _slots.Length / 4 * 3) Rebuild(_live + 1);
            Place(_slots, hash, process, ref _used);
            _live++;
            Publish(process, With(process.Names, name));
            AssertInvariants();
        }
        holder = process;
        return true;
    }

    /// <summary>Removes <paramref name="name"/> if <paramref name="process"/> holds it. The caller holds the process's monitor.</summary>
    public bool Remove(string name, Process process)
    {
        lock (_gate)
        {
            if (!Holds(process.Names, name)) return false;
            Publish(process, Without(process.Names, name));
            Vacate(name, process);
            AssertInvariants();
        }
        return true;
    }

    /// <summary>Empties the slots of an exited process, one for each of the <paramref name="names"/> it held until its exit cleared them.</summary>
    public void Release(Process process, object? names)
    {
        if (names is null) return;
        lock (_gate)
        {
            foreach (var name in All(names)) Vacate(name, process);
            AssertInvariants();
        }
    }

    /// <summary>Every name with its holder, at some moment (diagnostics).</summary>
    public List<(string Name, Process Holder)> Snapshot()
    {
        var all = new List<(string, Process)>();
        lock (_gate)
            foreach (var process in Holders(_slots))
                foreach (var name in All(process.Names)) all.Add((name, process));
        return all;
    }

    /// <summary>The names a process holds (<see cref="Process.Names"/> read whole), in ordinal order.</summary>
    public static IReadOnlyList<string> NamesOf(Process process) => [.. All(Volatile.Read(ref process.Names)).Order(StringComparer.Ordinal)];

    private Process? Find(object?[] slots, string name, int hash)
    {
        int mask = slots.Length - 1;
        for (int i = hash & mask, probes = 0; probes < slots.Length; i = (i + 1) & mask, probes++)
        {
            var slot = Volatile.Read(ref slots[i]);
            if (slot is null) return null;
            if (slot is not Process process) continue;
            var names = Volatile.Read(ref process.Names);
            if (names is string one ? Matches(process, one, name, hash) : Holds(names, name)) return process;
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="one"/>, the name just read from the process, is <paramref name="name"/>. Its hash is
    /// compared first, and trusted only while the names have not changed since: a change writes the next name's hash
    /// before the name, so a hash read after <paramref name="one"/> may already be the next one's. Both reads are
    /// volatile, so the names are read again only after the hash.
    /// </summary>
    private bool Matches(Process process, string one, string name, int hash) =>
        (Volatile.Read(ref process.NameHash) == hash || !ReferenceEquals(Volatile.Read(ref process.Names), one)) && _comparer.Equals(one, name);

    /// <summary>Sets a process's names, and first the hash of its one name if it has one.</summary>
    private void Publish(Process process, object? names)
    {
        if (names is string one) process.NameHash = Hash(one);
        Volatile.Write(ref process.Names, names);
    }

    private static void Place(object?[] slots, int hash, Process process, ref int used)
    {
        int mask = slots.Length - 1, i = hash & mask;
        while (slots[i] is { } taken && taken != Tombstone) i = (i + 1) & mask;
        if (slots[i] is null) used++;
        Volatile.Write(ref slots[i], process);
    }

    /// <summary>Empties the first slot holding <paramref name="process"/> on <paramref name="name"/>'s run, if any.</summary>
    private void Vacate(string name, Process process)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int i = Hash(name) & mask, probes = 0; probes < slots.Length && slots[i] is { } slot; i = (i + 1) & mask, probes++)
        {
            if (slot != process) continue;
            Volatile.Write(ref slots[i], Tombstone);
            _live--;
            if (_live < slots.Length / 8 && slots.Length > MinCapacity) Rebuild(_live);
            return;
        }
    }

    /// <summary>A new array with at least twice the room <paramref name="names"/> need, filled, then published.</summary>
    private void Rebuild(int names)
    {
        var old = _slots;
        var slots = new object?[Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)names * 2))];
        _used = _live = 0;
        foreach (var process in Holders(old))
            switch (Volatile.Read(ref process.Names))   // an exit may clear them meanwhile: its Release follows
            {
                case string:
                    Place(slots, process.NameHash, process, ref _used);
                    _live++;
                    break;
                case ImmutableHashSet<string> many:
                    foreach (var name in many) Place(slots, Hash(name), process, ref _used);
                    _live += many.Count;
                    break;
            }
        Volatile.Write(ref _slots, slots);
    }

    /// <summary>
    /// Each process in <paramref name="slots"/> once (one with several names fills several slots). Only an exit changes
    /// names outside the table's lock, and only to null: a process seen with several names and then with none is
    /// yielded again, with none to place.
    /// </summary>
    private static IEnumerable<Process> Holders(object?[] slots)
    {
        HashSet<Process>? several = null;
        foreach (var slot in slots)
            if (slot is Process process && (process.Names is not ImmutableHashSet<string> || (several ??= []).Add(process)))
                yield return process;
    }

    private int Hash(string name) => _comparer.GetHashCode(name) & int.MaxValue;

    private bool Holds(object? names, string name) => names switch
    {
        string one => _comparer.Equals(one, name),
        ImmutableHashSet<string> many => many.Contains(name),
        _ => false,
    };

    // Several names are a set, not an array: a process holding many names would make each change copy them all.
    private object With(object? names, string name) => names switch
    {
        null => name,
        string one => ImmutableHashSet.Create(_comparer, one, name),
        ImmutableHashSet<string> many => many.Add(name),
        _ => throw new UnreachableException(),
    };

    private object? Without(object? names, string name) => names switch
    {
        ImmutableHashSet<string> { Count: 2 } two => two.First(held => !_comparer.Equals(held, name)),
        ImmutableHashSet<string> many => many.Remove(name),
        _ => null,
    };

    private static IReadOnlyCollection<string> All(object? names) => names switch
    {
        string one => [one],
        ImmutableHashSet<string> many => many,
        _ => [],
    };

    /// <summary>Checks the counts and every run; only on small tables, as it reads them whole.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        if (_slots.Length > 1024) return;
        int used = 0, live = 0;
        foreach (var slot in _slots)
        {
            if (slot is not null) used++;
            if (slot is Process) live++;
        }
        Debug.Assert(used == _used && live == _live, "the counts match the slots");
        Debug.Assert(_used <= _slots.Length / 4 * 3, "at most three quarters of the slots are used");
        foreach (var process in Holders(_slots))
            foreach (var name in All(process.Names))
                Debug.Assert(Find(_slots, name, Hash(name)) == process || !Holds(Volatile.Read(ref process.Names), name),
                    "each name held is found on its run (or its process has just exited)");
    }
}
