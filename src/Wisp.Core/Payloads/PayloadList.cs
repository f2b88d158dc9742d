using System.Collections;

namespace Wisp;

/// <summary>
/// An array of the neutral payload model: a Lua sequence (keys 1..n), or a C# list or array, once it has crossed
/// a process boundary. Built once (<see cref="Add"/>, by its converter) and only read from then on.
/// </summary>
public sealed class PayloadList : IReadOnlyList<object?>
{
    private readonly List<object?> _items;

    public PayloadList(int capacity = 0) => _items = new(capacity);

    public PayloadList(IEnumerable<object?> items) => _items = [.. items];

    /// <summary>Appends an item while the list is being built; not for use once it has been handed to anyone.</summary>
    public void Add(object? item) => _items.Add(item);

    public object? this[int index] => _items[index];
    public int Count => _items.Count;
    public IEnumerator<object?> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => PayloadText.Format(this);
}
