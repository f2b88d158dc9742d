using System.Text;

namespace Wisp.Lua.Dialect;

/// <summary>
/// The front end of the reference's typed Lua dialect: translates a source to plain Lua 5.4 that keeps every token
/// on its line. Annotations are erased; <c>type</c> and <c>interface</c> declarations become the run-time type
/// values of Prelude/types.lua, made by a prologue written at the start of the first line (so they exist before
/// any code runs, as the reference hoists them) and set as globals of the environment where it has none of that
/// name, as the reference injects them. A source that uses none of the dialect is returned as it is.
/// </summary>
internal static class LuaDialect
{
    /// <summary>The upvalue through which a compiled script reaches the run-time type library (see LuaScript).</summary>
    public const string Library = "__wisp_types";

    /// <exception cref="WispException">Invalid: a malformed annotation, "<c>chunk:line:column: message</c>".</exception>
    public static string Translate(string source, string chunkName)
    {
        DialectParser parse;
        try
        {
            parse = DialectParser.Parse(LuaTokenizer.Tokenize(source));
            CheckAliases(parse.Declarations);
        }
        catch (DialectException e)
        {
            throw new WispException(ErrorKind.Invalid, $"{chunkName}:{e.Line}:{e.Column}: {e.Message}");
        }
        if (parse.Edits.Count == 0) return source;
        if (parse.Declarations.Count == 0 && !parse.UsesModule) return parse.Edits.Apply(source, "");
        return parse.Edits.Apply(source, Prologue(parse));
    }

    private static string Prologue(DialectParser parse)
    {
        var text = new StringBuilder($"local {DialectParser.Module} = {Library}(_ENV, {{");
        foreach (var declaration in parse.Declarations)
            text.Append('[').Append(TypeDescriptor.Quote(declaration.Name)).Append("]=").Append(TypeDescriptor.Write(declaration)).Append(',');
        text.Append("}, {");
        foreach (var type in parse.StaticTypes) text.Append(TypeDescriptor.Write(type)).Append(',');
        return text.Append("}); ").ToString();
    }

    /// <summary>A type that is another name for itself (<c>type A = B</c>, <c>type B = A</c>) has no meaning.</summary>
    private static void CheckAliases(List<TypeDeclaration> declarations)
    {
        var byName = new Dictionary<string, TypeDeclaration>();
        foreach (var declaration in declarations) byName[declaration.Name] = declaration;
        foreach (var declaration in declarations)
        {
            var seen = new HashSet<string> { declaration.Name };
            var body = declaration.Body;
            while (body is NamedType { Arguments.Count: 0 } alias && byName.TryGetValue(alias.Name, out var target))
            {
                if (!seen.Add(target.Name))
                    throw new DialectException(declaration.Line, declaration.Column, $"type '{declaration.Name}' is defined as itself");
                body = target.Body;
            }
        }
    }
}
