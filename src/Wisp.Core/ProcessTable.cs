using System.Collections.Concurrent;
using System.Diagnostics;

namespace Wisp;

/// <summary>
/// A node's live processes by PID id, and the ids to hand out (<see cref="IdBlocks"/>: a block of 64 at a time to each
/// core). Ids come in blocks, so the table is paged: id / 64 picks a page, id % 64 a slot. A live process costs 8
/// bytes of slot plus its share of a page (far less than a dictionary entry), and a lookup is a page lookup and an
/// index.
///
/// Invariants:
/// - a slot holds its process from <see cref="Add"/> until <see cref="Remove"/>; an id is added at most once;
/// - a page's <see cref="Page.Live"/> counts the processes added to it and not yet removed, or is -1 once the
///   page is dead; a dead page is never written and is (or is about to be) out of the dictionary;
/// - a page dies only when it is empty and no slot of <see cref="IdBlocks"/> is still handing out its ids, so pages
///   do not churn while their ids are being used; an id handed out but not yet added when its page died lands in a new page;
/// - <see cref="_recent"/> may hold a dead page only until its retirer clears it (unless a newer page took its place):
///   an add writes a page there before the process it adds can be found, so never after the page's retirement; a
///   lookup trusts the array only when it finds a process there (a dead page's slots are all empty), and otherwise
///   asks the dictionary.
/// Each page is changed with interlocked operations on its own fields; the dictionary is only added to and
/// removed from, never locked by this class, so there is no lock order.
/// </summary>
internal sealed class ProcessTable
{
    private const int PageBits = IdBlocks.BlockBits;
    private const int PageSize = 1 << PageBits;
    private const int RecentPages = 1024;

    private readonly ConcurrentDictionary<ulong, Page> _pages = new();
    private readonly Page?[] _recent = new Page?[RecentPages];   // page index % RecentPages → a page seen lately
    private readonly CoreCounters _live = new(1);   // processes added and not removed: every core adds and removes
    private readonly IdBlocks _ids = new();

    public int Count => (int)_live.Read(0);

    /// <summary>Pages in the table (tests: an empty table keeps at most one page for each slot of <see cref="IdBlocks"/> still handing out its ids).</summary>
    internal int PageCount => _pages.Count;

    /// <summary>Pages the recent array still holds that are out of the table (tests: none once the table is quiet).</summary>
    internal int StaleRecentPages =>
        _recent.Count(page => page is not null && !(_pages.TryGetValue(page.Index, out var current) && current == page));

    /// <summary>A new PID id, never handed out before in the node's lifetime (see <see cref="IdBlocks.Next"/>).</summary>
    public ulong NewId(bool byCore = false) => _ids.Next(byCore);

    public void Add(Process process)
    {
        ulong id = process.Id, index = id >> PageBits;
        // A page in the recent array came from the dictionary, and stays there until it is marked dead, so a live one
        // found there spares the dictionary's lookup.
        var page = Recent(index);
        while (true)
        {
            page ??= _pages.GetOrAdd(index, static index => new Page(index));
            int live = Volatile.Read(ref page.Live);
            if (live < 0)
            {
                Thread.Yield();   // dying: its remover takes it out of the dictionary right after marking it
                page = null;
                continue;
            }
            if (Interlocked.CompareExchange(ref page.Live, live + 1, live) != live) continue;
            // The recent array before the slot: once in its slot the process can be found, posted to, run and ended,
            // and its page retired; a later write would put the dead page back in the array.
            ref var recent = ref _recent[page.Index % RecentPages];
            if (Volatile.Read(ref recent) != page) Volatile.Write(ref recent, page);
            Volatile.Write(ref page.Slots[id & (PageSize - 1)], process);
            _live.Increment(0);
            page.AssertInvariants();
            return;
        }
    }

    /// <summary>
    /// The live process with this id, or null. Recently added pages are looked up in a small direct-mapped
    /// array first (a send is mostly to a process spawned lately); a hit counts only if it finds the process,
    /// since the array may still hold a page that has died, whose slots are all empty.
    /// </summary>
    public Process? Find(ulong id)
    {
        ulong index = id >> PageBits;
        if (Recent(index) is { } recent && Volatile.Read(ref recent.Slots[id & (PageSize - 1)]) is { } found)
            return found;
        return _pages.TryGetValue(index, out var page) ? Volatile.Read(ref page.Slots[id & (PageSize - 1)]) : null;
    }

    /// <summary>The page of this index in the recent array, if it holds it (maybe dead), else null.</summary>
    private Page? Recent(ulong index) => Volatile.Read(ref _recent[index % RecentPages]) is { } page && page.Index == index ? page : null;

    public void Remove(Process process)
    {
        ulong id = process.Id, index = id >> PageBits;
        if (!_pages.TryGetValue(index, out var page)
            || Interlocked.CompareExchange(ref page.Slots[id & (PageSize - 1)], null, process) != process)
            return;   // not added, or removed already
        _live.Add(0, -1);
        // The slots are read after the decrement (a full fence): if the page's last id went out meanwhile, either
        // this read sees it, or that id's own exit comes later and sees this decrement. Read before, both could
        // miss each other and leave an empty page for good.
        if (Interlocked.Decrement(ref page.Live) == 0) TryRetire(index, page);
    }

    /// <summary>
    /// An id from <see cref="NewId"/> that will never be added: its spawn failed before the add. If it was its block's
    /// last and every process of its page has exited, no exit is left to retire the empty page, so this does.
    /// </summary>
    public void Forfeit(ulong id)
    {
        ulong index = id >> PageBits;
        if (_pages.TryGetValue(index, out var page)) TryRetire(index, page);
    }

    /// <summary>Marks the page dead and takes it out, if it is empty and no slot of the id blocks hands out its ids.</summary>
    private void TryRetire(ulong index, Page page)
    {
        if (Volatile.Read(ref page.Live) != 0 || _ids.IsHandingOut(index) || Interlocked.CompareExchange(ref page.Live, -1, 0) != 0)
            return;
        _pages.TryRemove(new KeyValuePair<ulong, Page>(index, page));
        // Out of the recent array too, unless a newer page took its place: kept there, a dead page would live on
        // until its slot is reused, 1,024 pages later, long enough for the collector to copy it into gen 2.
        Interlocked.CompareExchange(ref _recent[index % RecentPages], null, page);
    }

    /// <summary>The live processes at some moment (for shutdown and diagnostics, not a hot path).</summary>
    public IEnumerable<Process> Snapshot()
    {
        foreach (var page in _pages.Values)
            for (int i = 0; i < PageSize; i++)
                if (Volatile.Read(ref page.Slots[i]) is { } process)
                    yield return process;
    }

    private sealed class Page(ulong index)
    {
        public readonly ulong Index = index;
        public readonly Process?[] Slots = new Process?[PageSize];
        public int Live;

        [Conditional("DEBUG")]
        public void AssertInvariants()
        {
            int live = Volatile.Read(ref Live);
            Debug.Assert(live == -1 || (live >= 0 && live <= PageSize), "live count within a page, or dead");
        }
    }
}
