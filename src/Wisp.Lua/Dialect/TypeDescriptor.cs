using System.Text;

namespace Wisp.Lua.Dialect;

/// <summary>
/// A type as the run-time library (Prelude/types.lua) builds it: a Lua table constructor on one line. A name is a
/// string (<c>"number"</c>, <c>"User"</c>), any other type a table whose first item says what it is:
/// <c>{"opt", T}</c>, <c>{"union", A, B}</c>, <c>{"inter", A, B}</c>, <c>{"array", T[, readonly]}</c>,
/// <c>{"map", K, V[, readonly]}</c>, <c>{"record", {"name", T[, optional]}..., ro = readonly}</c>,
/// <c>{"fn", {{name|false, T}...}, variadic|false, {returns}|false}</c>, <c>{"lit", value}</c>,
/// <c>{"ann", T, {"min", 0}...}</c>, <c>{"inst", "Name", args...}</c>, <c>{"keyof", T}</c>,
/// <c>{"index", T, K}</c>, <c>{"cond", A, B, X, Y}</c>, <c>{"iface", {bases}, {"m", T}...}</c> and, for a
/// generic declaration, <c>{"generic", {{"T", constraint|false}...}, body}</c>.
/// </summary>
internal static class TypeDescriptor
{
    public static string Write(TypeNode type)
    {
        var text = new StringBuilder();
        Write(type, text);
        return text.ToString();
    }

    public static string Write(TypeDeclaration declaration)
    {
        if (declaration.Parameters.Count == 0) return Write(declaration.Body);
        var text = new StringBuilder("{\"generic\",{");
        foreach (var parameter in declaration.Parameters)
        {
            text.Append('{').Append(Quote(parameter.Name)).Append(',');
            if (parameter.Constraint is null) text.Append("false");
            else Write(parameter.Constraint, text);
            text.Append("},");
        }
        text.Append("},");
        Write(declaration.Body, text);
        return text.Append('}').ToString();
    }

    private static void Write(TypeNode type, StringBuilder text)
    {
        switch (type)
        {
            case NamedType { Arguments.Count: 0 } named:
                text.Append(Quote(named.Name));
                break;
            case NamedType named:
                text.Append("{\"inst\",").Append(Quote(named.Name));
                foreach (var argument in named.Arguments) Item(argument, text);
                text.Append('}');
                break;
            case LiteralType literal:
                text.Append("{\"lit\",").Append(literal.Lua).Append('}');
                break;
            case OptionalType optional:
                Tagged("opt", text, false, optional.Inner);
                break;
            case UnionType union:
                Tagged("union", text, false, [.. union.Members]);
                break;
            case IntersectionType intersection:
                Tagged("inter", text, false, [.. intersection.Members]);
                break;
            case ArrayType array:
                Tagged("array", text, array.Readonly, array.Element);
                break;
            case MapType map:
                Tagged("map", text, map.Readonly, map.Key, map.Value);
                break;
            case RecordType record:
                text.Append("{\"record\"");
                Fields(record.Fields, text);
                text.Append(record.Readonly ? ",ro=true}" : "}");
                break;
            case FunctionType function:
                WriteFunction(function, text);
                break;
            case AnnotatedType annotated:
                text.Append("{\"ann\",");
                Write(annotated.Inner, text);
                foreach (var validator in annotated.Validators)
                {
                    text.Append(",{").Append(Quote(validator.Name));
                    foreach (var argument in validator.Arguments) text.Append(',').Append(argument);
                    text.Append('}');
                }
                text.Append('}');
                break;
            case TypeofType { Declared: { } declared }:
                Write(declared, text);
                break;
            case KeyofType keyof:
                Tagged("keyof", text, false, keyof.Of);
                break;
            case IndexType index:
                Tagged("index", text, false, index.Of, index.Key);
                break;
            case ConditionalType conditional:
                Tagged("cond", text, false, conditional.Check, conditional.Extends, conditional.Then, conditional.Else);
                break;
            case InterfaceType face:
                text.Append("{\"iface\",{").AppendJoin(',', face.Extends.Select(Quote)).Append('}');
                Fields(face.Methods, text);
                text.Append('}');
                break;
            default:   // typeof of what the front end does not know, asserts: what only a checker reads
                text.Append("\"any\"");
                break;
        }
    }

    private static void WriteFunction(FunctionType function, StringBuilder text)
    {
        text.Append("{\"fn\",{");
        foreach (var parameter in function.Parameters)
        {
            text.Append('{').Append(parameter.Name is null ? "false" : Quote(parameter.Name)).Append(',');
            Write(parameter.Type, text);
            text.Append("},");
        }
        text.Append("},");
        if (function.Variadic is null) text.Append("false");
        else Write(function.Variadic, text);
        text.Append(',');
        if (function.Returns is null) text.Append("false");
        else
        {
            text.Append('{');
            foreach (var returned in function.Returns)
            {
                Write(returned, text);
                text.Append(',');
            }
            text.Append('}');
        }
        text.Append('}');
    }

    private static void Fields(IReadOnlyList<RecordField> fields, StringBuilder text)
    {
        foreach (var field in fields)
        {
            text.Append(",{").Append(Quote(field.Name));
            Item(field.Type, text);
            text.Append(field.Optional ? ",true}" : "}");
        }
    }

    /// <summary><c>{"tag", items...}</c>, with a last <c>true</c> when <paramref name="flag"/> (a readonly table).</summary>
    private static void Tagged(string tag, StringBuilder text, bool flag, params TypeNode[] items)
    {
        text.Append("{\"").Append(tag).Append('"');
        foreach (var item in items) Item(item, text);
        text.Append(flag ? ",true}" : "}");
    }

    private static void Item(TypeNode type, StringBuilder text)
    {
        text.Append(',');
        Write(type, text);
    }

    public static string Quote(string name) => LuaString.Quote(Encoding.UTF8.GetBytes(name));
}
