namespace Wisp.Lua.Tests;

/// <summary>
/// The Lua API, area by area: each program in lua/ (other than the helpers, whose names start with "_") is a
/// process.lua entry that asserts its results, documented errors included, and returns "ok"; a failed assertion
/// is its exit error, with the file and line.
/// </summary>
public class LuaApiTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "lua");

    public static TheoryData<string> Programs => new(Directory.GetFiles(Folder, "*.lua")
        .Select(Path.GetFileNameWithoutExtension).Where(name => !name!.StartsWith('_') && name != "isolation").Order()!);

    /// <summary>
    /// Every program in lua/ as a process.lua entry of its own name, with the modules the programs use, and the
    /// function and library entries of lua/_entries.yaml.
    /// </summary>
    internal static Task<LuaNode> Boot(string modules = "[time, io, logger, funcs]", string hostSettings = "", LuaOptions? options = null)
    {
        var files = Directory.GetFiles(Folder, "*.lua").ToDictionary(path => Path.GetFileName(path), File.ReadAllText);
        var entries = string.Concat(files.Keys.Select(file => $"""
            - name: {Path.GetFileNameWithoutExtension(file)}
              kind: process.lua
              source: file://{file}
              modules: {modules}

            """)) + File.ReadAllText(Path.Combine(Folder, "_entries.yaml"));
        return LuaNode.Start(entries, files, options, hostSettings);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Program_passes(string program)
    {
        await using var node = await Boot();
        Assert.Equal("ok", await node.Value($"app:{program}"));
    }
}
