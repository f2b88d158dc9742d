using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Wisp;

/// <summary>
/// A map of the neutral payload model: what a Lua table with keys, or a C# record, becomes when it crosses a
/// process boundary (see <see cref="PayloadCodec"/>). Keys are strings, or the other scalars a Lua table may use
/// (integers, floats, booleans); C# reads the string-keyed entries through <see cref="IReadOnlyDictionary{TKey,TValue}"/>
/// and <see cref="Entries"/> gives them all, in insertion order. Values are payload values too.
/// A map is built once (<see cref="Add"/>, by the converter that makes it, which may add the map to itself: a Lua
/// table that refers to itself) and only read from then on; it is shared by reference, never copied.
/// </summary>
public sealed class PayloadMap : IReadOnlyDictionary<string, object?>
{
    private readonly List<KeyValuePair<object, object?>> _entries;
    private readonly Dictionary<string, int> _byName;   // string key → index in _entries

    public PayloadMap(int capacity = 0)
    {
        _entries = new(capacity);
        _byName = new(capacity, StringComparer.Ordinal);
    }

    /// <summary>A map of string keys.</summary>
    public PayloadMap(IEnumerable<KeyValuePair<string, object?>> entries) : this()
    {
        foreach (var (key, value) in entries) Add(key, value);
    }

    /// <summary>Every entry, whatever its key's type, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    /// <summary>
    /// Adds an entry while the map is being built. A key is a string, a long, a double or a bool; a string key
    /// may appear once. Not for use once the map has been handed to anyone.
    /// </summary>
    public void Add(object key, object? value)
    {
        switch (key)
        {
            case string name:
                if (!_byName.TryAdd(name, _entries.Count)) throw new WispException(ErrorKind.Invalid, $"payload map: duplicate key '{name}'");
                break;
            case long or double or bool:
                break;
            default:
                throw new WispException(ErrorKind.Invalid, $"payload map: a key must be a string, an integer, a float or a boolean, not {key.GetType().Name}");
        }
        _entries.Add(new(key, value));
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>String keys only (the entries C# reads).</summary>
    public IEnumerable<string> Keys => _byName.Keys;
    public IEnumerable<object?> Values => _byName.Values.Select(i => _entries[i].Value);

    /// <summary>The number of string-keyed entries; <see cref="Entries"/> counts them all.</summary>
    public int Count => _byName.Count;

    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_byName.TryGetValue(key, out int index))
        {
            value = _entries[index].Value;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var (key, value) in _entries)
            if (key is string name) yield return new(name, value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => PayloadText.Format(this);
}
