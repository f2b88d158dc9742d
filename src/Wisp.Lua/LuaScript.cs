using System.Runtime.InteropServices;
using System.Text;
using Wisp.Lua.Dialect;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// A Lua source file compiled once for the node: the typed dialect translated to plain Lua (Dialect/LuaDialect,
/// which keeps every line), then wrapped as <c>local __wisp_types = ... return function(_ENV, ...) … end</c> on
/// the source's own first line, so that line numbers stay the user's and each process runs the same compiled
/// function with its own environment (a shard loads the bytecode once, runs the outer chunk with the run-time type
/// library as its argument, and calls the function per process). A syntax error is an Invalid error with the file
/// and line, as Lua reports it (<c>worker.lua:3: ... near 'x'</c>); a malformed annotation one with the file, line
/// and column (<c>worker.lua:3:14: type expected near '='</c>).
/// </summary>
internal sealed unsafe class LuaScript
{
    private LuaScript(string path, string chunkName, byte[] bytecode)
    {
        Path = path;
        ChunkName = chunkName;
        Bytecode = bytecode;
    }

    public string Path { get; }

    /// <summary>The name errors and tracebacks give the file: the path the entry wrote after <c>file://</c>.</summary>
    public string ChunkName { get; }

    public byte[] Bytecode { get; }

    /// <summary>Reads and compiles the file in <paramref name="shard"/> (the caller holds it).</summary>
    public static LuaScript Compile(LuaShard shard, string path, string chunkName)
    {
        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WispException(ErrorKind.NotFound, $"cannot read {path}: {e.Message}", e);
        }
        if (source.StartsWith('#')) source = "--" + source;   // a shebang line, as Lua's loader skips it
        source = LuaDialect.Translate(source, chunkName);
        var wrapped = Encoding.UTF8.GetBytes($"local {LuaDialect.Library} = ... return function(_ENV, ...) " + source + "\nend");
        nint L = shard.L;
        if (LoadBuffer(L, wrapped, "@" + chunkName, "t") != Ok)
        {
            var message = ToText(L, -1) ?? "syntax error";
            Pop(L, 1);
            throw new WispException(ErrorKind.Invalid, message);
        }
        var output = new MemoryStream();
        var handle = GCHandle.Alloc(output);
        try
        {
            lua_dump(L, &Write, GCHandle.ToIntPtr(handle), strip: 0);
        }
        finally
        {
            handle.Free();
            Pop(L, 1);
        }
        return new LuaScript(path, chunkName, output.ToArray());
    }

    [UnmanagedCallersOnly]
    private static int Write(nint L, byte* data, nuint size, nint state)
    {
        try
        {
            ((MemoryStream)GCHandle.FromIntPtr(state).Target!).Write(new ReadOnlySpan<byte>(data, (int)size));
            return 0;
        }
        catch
        {
            return 1;
        }
    }
}
