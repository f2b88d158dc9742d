namespace Wisp.Lua;

/// <summary>
/// The C# objects that Lua userdata of one shard stand for (a channel, a timer): a userdata holds an index here,
/// taken when it is made and given back by its <c>__gc</c>. Used by the shard's thread only.
/// </summary>
internal sealed class LuaHandles
{
    private readonly List<object?> _items = [null];   // index 0 is never handed out
    private readonly Stack<int> _free = new();

    public int Count { get; private set; }

    public int Add(object item)
    {
        Count++;
        if (_free.TryPop(out int index))
        {
            _items[index] = item;
            return index;
        }
        _items.Add(item);
        return _items.Count - 1;
    }

    public object? Get(int index) => index > 0 && index < _items.Count ? _items[index] : null;

    public void Free(int index)
    {
        if (index <= 0 || index >= _items.Count || _items[index] is null) return;
        _items[index] = null;
        _free.Push(index);
        Count--;
    }
}
