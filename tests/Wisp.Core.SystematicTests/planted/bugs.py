#!/usr/bin/env python3
"""Planted bugs for proving that the systematic tests can fail (see ../README.md).

Usage: bugs.py NAME DIR      -- applies bug NAME to the copy of src/Wisp.Core in DIR (never to src/).
       bugs.py --list        -- bug names, each with the test expected to catch it.
Each bug is a list of exact (old, new) replacements; an anchor that no longer exists is an error, so a bug
that drifted away from the source is noticed instead of silently testing nothing.
"""
import sys, pathlib

BUGS = {
    # A slice's end parks the process without looking at the mailbox: a post that came during the slice saw
    # the flag still set and queued nothing, so it is never run (lost wake-up).
    "lost-wakeup": ("MailboxTests", [
        ("Mailbox.cs", "        bool idle = _count == 0;\n", "        bool idle = true;\n"),
        ("Mailbox.cs", "        Debug.Assert(_count == 0 || _scheduled, ", "        Debug.Assert(true, "),
    ]),
    # Spawn starts the child before attaching its monitor/link: a child that exits at once is missed.
    "attach-after-start": ("SpawnTests", [
        ("Node.cs", "        if (parent is not null) Topology.AttachChild(parent, child, monitor, link);\n", ""),
        ("Node.cs", "        child.Start(parent);\n",
                    "        child.Start(parent);\n        if (parent is not null) Topology.AttachChild(parent, child, monitor, link);\n"),
    ]),
    # Monitor adds the watcher without checking, under the target's lock, that the target is still alive.
    "monitor-after-exit": ("TopologyTests.Monitor_racing_exit", [
        ("Topology.cs", """            if (!target.IsExited)
            {
                target.Monitors.Add(watcher);
                return;
            }""", """            target.Monitors.Add(watcher);
            return;"""),
    ]),
    # Register does not check liveness under the process's lock: a name can outlive its process.
    "register-after-exit": ("TopologyTests.Register_racing_exit", [
        ("Registry.cs", '            if (process.IsExited) throw new WispException(ErrorKind.NotFound, $"process not found: {process.Pid}");\n', ""),
    ]),
    # Terminate ends the process from the caller's thread instead of posting to its loop: two exits can race.
    "terminate-off-loop": ("TopologyTests.Terminate_racing_normal_exit", [
        ("Node.cs", "        else Resolve(pid).Post(TerminateSignal.Instance);\n",
                    '        else Resolve(pid).Fail(new ProcessError("process terminated"));\n'),
    ]),
    # Link does not re-check, under the target's lock, that the target is alive: linking a process that is
    # exiting leaves it in the linker's Links for good.
    "link-after-exit": ("TopologyTests.Link_and_error_exit_racing_unlink", [
        ("Topology.cs", """            if (!b.IsExited)
            {
                (b.Links ??= []).TryAdd(a.Pid, a);
                return;
            }""", """            (b.Links ??= []).TryAdd(a.Pid, a);
            return;"""),
    ]),
    # A select that completes does not withdraw its other cases: a second channel can complete it again.
    "select-no-withdraw": ("SelectTests", [
        ("Select.cs", "            if (_parked[i] is { } parked) _cases[i].Channel.Release(parked);\n", ""),
    ]),
    # An add ignores that its page is dying: it writes into a page its remover is taking out of the table.
    # A remove reads the id counter before it decrements the page's count: the page's last exit and the
    # handing out of its last id can miss each other, and an empty page stays in the table for good.
    "table-stale-counter": ("ProcessTableTests.The_last_exit", [
        ("ProcessTable.cs", """        if (Interlocked.Decrement(ref page.Live) == 0) TryRetire(index, page);
""", """        bool allIdsOut = !_ids.IsHandingOut(index);
        if (Interlocked.Decrement(ref page.Live) == 0 && allIdsOut && Interlocked.CompareExchange(ref page.Live, -1, 0) == 0)
            _pages.TryRemove(new KeyValuePair<ulong, Page>(index, page));
"""),
    ]),
    # A slot of the id blocks moves on by a plain write: two spawns sharing it can both take the same id.
    "ids-plain-write": ("ProcessTableTests.Spawns_sharing_a_slot", [
        ("IdBlocks.cs", "            if (Interlocked.CompareExchange(ref slot, next, last) == last) return (ulong)next;\n",
                        "            Volatile.Write(ref slot, next);\n            return (ulong)next;\n"),
    ]),
    # A watch checks that its node is reachable before taking the lock that the node's loss takes: a loss in
    # between finds no watch to end, and the watch is added for a node already reported lost (no end ever comes).
    "remote-watch-after-loss": ("RemoteWatchTests.A_remote_watch_made_while", [
        ("Remote/RemoteWatches.cs", """        lock (_gate)
        {
            if (creationOf(target.Node) is not { } creation || (target.Creation != 0 && target.Creation != creation)) return false;
""", """        if (creationOf(target.Node) is not { } creation || (target.Creation != 0 && target.Creation != creation)) return false;
        lock (_gate)
        {
"""),
    ]),
    # The mailbox limit checked, then the place taken in a separate step: two senders both see room for one.
    "limit-check-then-add": ("MailboxLimitTests", [
        ("Process.cs", """        if (limit is not null && Interlocked.Increment(ref _pending) > limit)
        {
            Interlocked.Decrement(ref _pending);
            return MessagePost.Full;
        }""", """        if (limit is not null && Volatile.Read(ref _pending) >= limit) return MessagePost.Full;
        if (limit is not null) Interlocked.Increment(ref _pending);"""),
    ]),
    # An add writes the recent-page array after the slot: the process, found at once, can end and its page be
    # retired in between, and the add then puts the dead page back in the array, where it outlives its processes.
    "recent-after-slot": ("ProcessTableTests.An_add_racing", [
        ("ProcessTable.cs", """            ref var recent = ref _recent[page.Index % RecentPages];
            if (Volatile.Read(ref recent) != page) Volatile.Write(ref recent, page);
            Volatile.Write(ref page.Slots[id & (PageSize - 1)], process);
""", """            Volatile.Write(ref page.Slots[id & (PageSize - 1)], process);
            ref var recent = ref _recent[page.Index % RecentPages];
            if (Volatile.Read(ref recent) != page) Volatile.Write(ref recent, page);
"""),
    ]),
    "table-dying-page": ("ProcessTableTests.A_page_dying", [
        ("ProcessTable.cs", "            if (live < 0)\n", "            if (live < -1)\n"),
    ]),
    # Close wakes only the first parked receiver: the others wait for good (a deadlock). The channel's own
    # invariant check would see it first; it is taken out so that the scenario's checks must.
    "close-wakes-one": ("ChannelCloseTests", [
        ("Channel.cs", "        while (_receivers.TryDequeue(out var receiver)) receiver.CompleteReceive(default!, ok: false);\n",
                       "        if (_receivers.TryDequeue(out var receiver)) receiver.CompleteReceive(default!, ok: false);\n"),
        ("Channel.cs", '        Debug.Assert(!_closed || (_senders.IsEmpty && _receivers.IsEmpty), "a closed channel has no waiters");\n', ""),
    ]),
    # Close leaves parked senders parked: their sends never complete nor fail (invariant check taken out, as above).
    "close-forgets-senders": ("ChannelCloseTests", [
        ("Channel.cs", "        while (_senders.TryDequeue(out var sender)) sender.FailSend(new ChannelClosedException());\n", ""),
        ("Channel.cs", '        Debug.Assert(!_closed || (_senders.IsEmpty && _receivers.IsEmpty), "a closed channel has no waiters");\n', ""),
    ]),
    # The exit hooks run after the monitors are told: a monitor can hear of the exit before the state is released.
    "hooks-after-notify": ("ExitHookTests", [
        ("Process.Exit.cs", "        RunExitHooks(result);\n", ""),
        ("Process.Exit.cs", "        Node.Topology.OnExit(this, result);\n", "        Node.Topology.OnExit(this, result);\n        RunExitHooks(result);\n"),
    ]),
    # Neither the routing of a slice nor Exit stops at a process that has exited, and the hooks are kept once run:
    # a second terminate routed in the same slice ends the process again, and its hooks run twice.
    "exit-twice": ("ExitHookTests", [
        ("Process.Exit.cs", "        if (_exited) return;\n", ""),
        ("Process.Routing.cs", "for (; i < items.Length && !_exited; i++)", "for (; i < items.Length; i++)"),
        ("Process.Exit.cs", "        _rare.ExitHooks = null;\n", ""),
    ]),
    # A steal sizes its half from the count read before it takes the victim's lock: an owner's pop in between leaves
    # fewer items than it takes, so it takes emptied slots and the count goes below zero (the stack's own invariant
    # checks would see it first; they are taken out so that the scenario's checks must).
    "steal-count-outside-lock": ("WorkerStackTests", [
        ("WorkerStack.cs", """        _lock.Enter();
        int taken = Math.Min((_count + 1) / 2, buffer.Length);
""", """        int taken = Math.Min((Volatile.Read(ref _count) + 1) / 2, buffer.Length);
        _lock.Enter();
"""),
        ("WorkerStack.cs", """        Debug.Assert(_count >= 0 && _count <= _ring.Length, "count within the ring");
        Debug.Assert(_count == _ring.Length || _ring[(_head + _count) & (_ring.Length - 1)] is null, "the slot after the newest is free");
""", ""),
    ]),
    # A rebuild publishes its new array before filling it: a lookup that reads the array in between misses names
    # held all along.
    "names-publish-early": ("NameTableTests", [
        ("NameTable.cs", """        _used = _live = 0;
""", """        _used = _live = 0;
        Volatile.Write(ref _slots, slots);
"""),
    ]),
    # A rebuild counts the slots of every process it meets, an exited one's too, though it places none of them: the
    # release that follows finds nothing to empty, and the count stays too high for good.
    "names-rebuild-counts-exited": ("NameTableTests.An_exit_racing", [
        ("NameTable.cs", """                case ImmutableHashSet<string> many:
""", """                case null:
                    _live++;
                    break;
                case ImmutableHashSet<string> many:
"""),
    ]),
}

def main():
    if sys.argv[1:] == ["--list"]:
        for name, (test, _) in BUGS.items(): print(f"{name} {test}")
        return
    name, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    for file, old, new in BUGS[name][1]:
        path = folder / file
        text = path.read_text()
        if text.count(old) != 1:
            sys.exit(f"bug {name}: anchor not found exactly once in {file}: {old!r}")
        path.write_text(text.replace(old, new))

main()
