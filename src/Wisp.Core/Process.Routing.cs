namespace Wisp;

/// <summary>
/// How a process's mailbox reaches its code: every item is taken in arrival order; a message goes to the listen
/// channel of its topic, else to the inbox, else is held until one exists; an event goes to the events channel
/// (held until it exists); a posted action joins the run queue. Loop only.
/// </summary>
internal sealed partial class Process
{
    /// <summary>
    /// Routes what the mailbox held when the drain began; what arrives meanwhile waits for the next round,
    /// so a coroutine that keeps posting work (a Task.Yield loop) cannot hold the loop in one drain.
    /// </summary>
    private void DrainMailbox()
    {
        var items = _mailbox.TakeAll();
        int i = 0;
        for (; i < items.Length && !_exited; i++)
        {
            var item = items[i].Value;
            items[i].Value = null;
            switch (item)
            {
                case Message message:
                    Route(message, ++_arrivals);
                    break;
                case ProcessEvent processEvent:
                    Receive(processEvent);
                    break;
                case LoopAction loopAction:
                    _run.Enqueue(loopAction.Action, loopAction.State);   // behind coroutines already woken
                    break;
                case TerminateSignal:
                    Fail(new ProcessError(ProcessErrors.Terminated));
                    break;
            }
        }
        if (i < items.Length) DiscardRest(items[i..]);   // the process exited while routing
    }

    private void DiscardRest(Span<MailboxItem> rest)
    {
        int messages = 0;
        foreach (ref var item in rest)
        {
            if (item.Value is Message) messages++;
            item.Value = null;
        }
        Node.CountDiscarded(messages);
    }

    private void Route(Message message, ulong sequence)
    {
        if (_rare?.Listeners is { } listeners && listeners.TryGetValue(message.Topic, out var listener)) listener.Deliver(message, sequence);
        else if (_inbox is not null) _inbox.Deliver(message, sequence);
        else (RareState.HeldMessages ??= new()).Enqueue((sequence, message));
    }

    private void Receive(ProcessEvent processEvent)
    {
        if (processEvent.Kind != EventKind.Cancel && !Node.Topology.Consume(this, processEvent))
            return;   // unmonitored or unlinked since it was posted: as if it never came
        if (processEvent.Kind == EventKind.LinkDown && !TrapLinks)
            Fail(new ProcessError(ProcessErrors.LinkedFailedPrefix + processEvent.From));
        else
        {
            RareState.EventsRouted++;   // so that the arrivals less the events are the messages in (MessagesIn)
            RouteEvent(processEvent, ++_arrivals);
        }
    }

    private void RouteEvent(ProcessEvent processEvent, ulong sequence)
    {
        if (_events is not null) _events.Deliver(processEvent, sequence);
        else (RareState.HeldEvents ??= new()).Enqueue((sequence, processEvent));
        // Events have no sender to refuse: past the host's mailbox limit, the process that does not read them fails.
        if (Host.Options.MailboxLimit is { } limit && (_events?.BacklogCount ?? 0) + (_rare?.HeldEvents?.Count ?? 0) > limit)
            Fail(new ProcessError($"undelivered events: process {Pid} holds more than {limit} events it has not read (host {Host.Id} limit)",
                ErrorKind.LimitExceeded));
    }

    public Channel<Message> Inbox
    {
        get
        {
            if (_inbox is not null) return _inbox;
            _inbox = new Channel<Message>(this, 0, mailboxFed: true);
            RerouteHeld();
            return _inbox;
        }
    }

    /// <summary>Whether the process has opened its events channel, so that it can hear a CANCEL (read from any thread).</summary>
    public bool HearsEvents => Volatile.Read(ref _events) is not null;

    public Channel<ProcessEvent> Events
    {
        get
        {
            if (_events is not null) return _events;
            Volatile.Write(ref _events, new Channel<ProcessEvent>(this, 0, mailboxFed: true));
            if (_rare?.HeldEvents is { } heldEvents)
            {
                _rare.HeldEvents = null;
                while (heldEvents.TryDequeue(out var held)) _events.Deliver(held.Event, held.Sequence);
            }
            return _events;
        }
    }

    public Channel<Message> Listen(string topic)
    {
        if (string.IsNullOrEmpty(topic)) throw new WispException(ErrorKind.Invalid, "topic cannot be empty");
        if (topic[0] == '@') throw new WispException(ErrorKind.Invalid, "cannot listen to @ topics");
        var listeners = RareState.Listeners ??= new Dictionary<string, Channel<Message>>(StringComparer.Ordinal);
        if (listeners.TryGetValue(topic, out var existing)) return existing;
        var channel = new Channel<Message>(this, 0, mailboxFed: true);
        listeners.Add(topic, channel);
        RerouteHeld();
        if (_inbox is not null)   // undelivered inbox messages of this topic now belong to the listener, as in the reference
            foreach (var (sequence, message) in _inbox.TakeBacklog()) Route(message, sequence);
        return channel;
    }

    private void RerouteHeld()
    {
        foreach (var (sequence, message) in TakeHeld()) Route(message, sequence);
    }

    // An array, so that the common case (nothing held: every process's first Inbox) is a loop over an empty array, not
    // an enumeration through an interface.
    private (ulong Sequence, Message Message)[] TakeHeld()
    {
        if (_rare?.HeldMessages is not { } held) return [];
        _rare.HeldMessages = null;
        return held.ToArray();
    }

    public bool Unlisten(Channel<Message> channel)
    {
        if (_rare?.Listeners is not { } listeners) return false;
        string? topic = null;
        foreach (var (key, value) in listeners)
        {
            if (value != channel) continue;
            topic = key;
            break;
        }
        if (topic is null) return false;
        listeners.Remove(topic);
        // Its undelivered messages rejoin the inbox's in arrival order, so per-sender order still holds.
        var orphans = channel.TakeBacklog();
        if (orphans.Count > 0)
        {
            var merged = (_inbox?.TakeBacklog() ?? TakeHeld()).Concat(orphans).OrderBy(m => m.Sequence).ToList();
            foreach (var (sequence, message) in merged) Route(message, sequence);
        }
        channel.CloseCore();
        return true;
    }

    /// <summary>A select kept for reuse by this loop's next select (SelectOp.Run); null while one is running.</summary>
    internal SelectOp? SpareSelect
    {
        get => _rare?.SpareSelect;
        set
        {
            if (value is not null || _rare is not null) RareState.SpareSelect = value;
        }
    }
}
