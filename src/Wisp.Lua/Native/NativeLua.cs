using System.Reflection;
using System.Runtime.InteropServices;

namespace Wisp.Lua.Native;

/// <summary>
/// Which native Lua the imports of <see cref="LuaApi"/> bind to: Wisp's own build (<c>libwisplua54.so</c> beside
/// this assembly, made at build time by Native/lua/build.sh: Lua 5.4 with the patches that print integral floats
/// without ".0", as the reference does, and let a long pattern match be ended) when it is there, else KeraLua's
/// <c>lua54</c>. Chosen once: LuaApi's static
/// constructor installs the resolver before its first import is bound, and the runtime asks it once per library.
/// </summary>
internal static class NativeLua
{
    private const string WispBuild = "libwisplua54.so";

    /// <summary>The path of Wisp's build when it is the one loaded (set by the resolver, once); null when KeraLua's library is.</summary>
    public static string? WispBuildPath { get; private set; }

    private static nint _wispBuild;   // its handle, when it is the one loaded

    internal static void Install() => NativeLibrary.SetDllImportResolver(typeof(NativeLua).Assembly, Resolve);

    /// <summary>The address of a C function of the loaded library (once its imports are bound), for Lua to call as it is.</summary>
    public static nint Export(string name)
    {
        nint library = _wispBuild != 0 ? _wispBuild : NativeLibrary.Load("lua54", typeof(NativeLua).Assembly, null);
        return NativeLibrary.GetExport(library, name);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "lua54") return 0;
        var path = Path.Combine(Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory, WispBuild);
        if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out var handle)) return 0;   // 0: the default search finds KeraLua's
        WispBuildPath = path;
        _wispBuild = handle;
        return handle;
    }
}
