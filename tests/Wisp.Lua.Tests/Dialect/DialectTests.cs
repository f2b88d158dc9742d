using System.Text;
using Wisp.Lua.Dialect;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua.Tests.Dialect;

/// <summary>
/// The typed dialect's front end on its own: each golden case (Golden/NAME.lua) translates to Golden/NAME.out.lua
/// (to itself when there is none) on the same lines, and Lua compiles the result; plain Lua (the project's own, and Lua 5.4 that looks like the
/// dialect) passes through byte for byte; a malformed annotation is an Invalid error with file, line and column;
/// and the tokenizer reads Lua 5.4's lexical grammar.
/// </summary>
public class DialectTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Dialect", "Golden");

    public static TheoryData<string> GoldenCases => new(Directory.GetFiles(Golden, "*.lua")
        .Where(f => !f.EndsWith(".out.lua", StringComparison.Ordinal)).Select(f => Path.GetFileNameWithoutExtension(f)).Order());

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void A_golden_case_translates_to_its_expected_Lua_on_the_same_lines(string name)
    {
        var source = File.ReadAllText(Path.Combine(Golden, name + ".lua"));
        var translated = LuaDialect.Translate(source, name + ".lua");
        var expected = Path.Combine(Golden, name + ".out.lua");
        Assert.Equal(File.Exists(expected) ? File.ReadAllText(expected) : source, translated);   // no .out.lua: it passes through
        Assert.Equal(source.Count(c => c == '\n'), translated.Count(c => c == '\n'));
        AssertCompiles(translated, name);
    }

    /// <summary>
    /// Every Lua file of the project but the dialect's own tests and example (Dialect/, lua/types_*, lua/_types_*,
    /// examples/lua-typed): none uses the dialect.
    /// </summary>
    public static TheoryData<string> PlainFiles()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Wisp.slnx"))) root = Path.GetDirectoryName(root)!;
        return new(Directory.GetFiles(root, "*.lua", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "Dialect" or "lua-typed")
                        && !Path.GetFileName(f).TrimStart('_').StartsWith("types_", StringComparison.Ordinal))
            .Order()
            .Select(f => Path.Combine(root, f)));
    }

    [Theory]
    [MemberData(nameof(PlainFiles))]
    public void Plain_Lua_passes_through_byte_for_byte(string path)
    {
        var source = File.ReadAllText(path);
        Assert.Same(source, LuaDialect.Translate(source, Path.GetFileName(path)));
    }

    [Theory]
    [InlineData("local x: = 1", "1:10: type expected near '='")]
    [InlineData("local x:", "1:9: type expected near <eof>")]
    [InlineData("local x: number | = 1", "1:19: type expected near '='")]
    [InlineData("type User = {name string}", "1:19: '}' expected near 'string'")]
    [InlineData("local m: {[string] number}", "1:20: ':' expected near 'number'")]
    [InlineData("local f: (number -> number", "1:18: ')' expected near '->'")]
    [InlineData("local f: (a: number)", "1:21: '->' expected after a function type's parameters near <eof>")]
    [InlineData("type Box<T = {value: T}", "1:12: '>' expected near '='")]
    [InlineData("type Box<T> {value: T}", "1:13: '=' expected near '{'")]
    [InlineData("type Age = number @min(x)", "1:24: a validator's arguments must be literal numbers, strings or booleans near 'x'")]
    [InlineData("type Age = number @(1)", "1:20: validator name expected near '('")]
    [InlineData("local function f(a: ): number end", "1:21: type expected near ')'")]
    [InlineData("local y = x :: ", "1:16: type expected near <eof>")]
    [InlineData("local t: {a: number, : string}", "1:22: field name expected near ':'")]
    [InlineData("interface Shape function area(self: Shape) number end", "1:44: 'end' expected near 'number'")]
    [InlineData("type A = B\ntype B = A", "1:6: type 'A' is defined as itself")]
    [InlineData("local a = 1\nlocal b: {x:\n  } = 3", "3:3: type expected near '}'")]
    public void A_malformed_annotation_is_an_error_with_file_line_and_column(string source, string where)
    {
        var e = Assert.Throws<WispException>(() => LuaDialect.Translate(source, "lib/typed.lua"));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Equal("lib/typed.lua:" + where, e.Message);
    }

    [Theory]
    [InlineData("local x = 0x1.8p3 + .5e-2 + 3 // 2", "local|x|=|0x1.8p3|+|.5e-2|+|3|//|2")]
    [InlineData("a = [==[ ]] ]=] ]==] b", "a|=|[==[ ]] ]=] ]==]|b")]
    [InlineData("--[[ long\ncomment ]] x --[==[ ]] ]==] y -- line\nz", "x|y|z")]
    [InlineData("s = 'a\\'b' .. \"c\\z\n   d\\u{48}\\x41\\65\"", "s|=|'a\\'b'|..|\"c\\z\n   d\\u{48}\\x41\\65\"")]
    [InlineData("a:b() c::d:: e.f ... ~= -> ? ! @", "a|:|b|(|)|c|::|d|::|e|.|f|...|~=|->|?|!|@")]
    [InlineData("x = 3x", "x|=|malformed number")]
    [InlineData("x = 'open", "x|=|unfinished string")]
    [InlineData("x = [==[ open", "x|=|unfinished long string")]
    [InlineData("x = $", "x|=|unexpected symbol")]
    public void The_tokenizer_reads_Lua_5_4s_tokens(string source, string tokens)
    {
        var read = LuaTokenizer.Tokenize(source).Where(t => t.Kind != TokenKind.End).Select(t => t.Text);
        Assert.Equal(tokens, string.Join('|', read));
    }

    [Theory]
    [InlineData("'tab\\there'", "tab\there")]
    [InlineData("\"a\\z\n   b\\x41\\066\\u{48}\\u{E9}\"", "abABHé")]
    [InlineData("[[\nfirst line\r\nsecond]]", "first line\nsecond")]
    [InlineData("'caf\u00e9'", "café")]
    public void A_string_token_decodes_to_its_bytes(string token, string text) =>
        Assert.Equal(Encoding.UTF8.GetBytes(text), LuaString.Decode(token));

    private static void AssertCompiles(string chunk, string name)
    {
        nint L = luaL_newstate();
        try
        {
            var code = Encoding.UTF8.GetBytes($"local {LuaDialect.Library} = ... return function(_ENV, ...) {chunk}\nend");
            Assert.True(LoadBuffer(L, code, "@" + name, "t") == Ok, $"{name} does not compile: {ToText(L, -1)}");
        }
        finally
        {
            lua_close(L);
        }
    }
}
