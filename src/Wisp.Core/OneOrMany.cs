namespace Wisp;

/// <summary>
/// A few items a process keeps under its monitor (its names; the processes watching it). Most processes hold none or
/// one, so a single reference holds either the one item or, from the second on, a list of them (no list for the common
/// case). A mutable struct: changed only in place (the process's field), never through a copy.
/// </summary>
internal struct OneOrMany<T> where T : class
{
    private object? _items;   // null, a T, or a List<T> of two or more

    public readonly bool IsEmpty => _items is null;

    public readonly IEnumerable<T> All => _items switch
    {
        T one => [one],
        List<T> many => many,
        _ => [],
    };

    public void Add(T item) => _items = _items switch
    {
        null => item,
        T one => new List<T> { one, item },
        List<T> many => Append(many, item),
        _ => throw new InvalidOperationException("unreachable"),
    };

    public void Remove(T item)
    {
        if (_items is T one && EqualityComparer<T>.Default.Equals(one, item)) _items = null;
        else if (_items is List<T> many && many.Remove(item))
            _items = many.Count == 1 ? many[0] : many;
    }

    /// <summary>Calls <paramref name="action"/> for each item, without allocating (an exit's hot path).</summary>
    public readonly void ForEach<TState>(TState state, Action<T, TState> action)
    {
        if (_items is T one) action(one, state);
        else if (_items is List<T> many)
            foreach (var item in many) action(item, state);
    }

    private static List<T> Append(List<T> items, T item)
    {
        items.Add(item);
        return items;
    }
}
