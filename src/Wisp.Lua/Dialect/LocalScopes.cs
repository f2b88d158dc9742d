namespace Wisp.Lua.Dialect;

/// <summary>
/// The locals in scope where the parser is, block by block, each with the type its declaration gives it (null when
/// it has none): what <c>typeof(x)</c> knows statically, and whether a name is a local at all.
/// </summary>
internal sealed class LocalScopes
{
    private readonly List<Dictionary<string, TypeNode?>> _blocks = [];

    public void Open() => _blocks.Add([]);

    public void Close() => _blocks.RemoveAt(_blocks.Count - 1);

    public void Declare(string name, TypeNode? type) => _blocks[^1][name] = type;

    public bool IsLocal(string name) => TryFind(name, out _);

    /// <summary>The declared type of the local <paramref name="name"/>; false when no local has that name.</summary>
    public bool TryFind(string name, out TypeNode? type)
    {
        for (int i = _blocks.Count - 1; i >= 0; i--)
            if (_blocks[i].TryGetValue(name, out type)) return true;
        type = null;
        return false;
    }
}
