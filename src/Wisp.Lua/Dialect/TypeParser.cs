namespace Wisp.Lua.Dialect;

/// <summary>
/// The dialect's type expressions, as the reference's grammar has them: names (dotted, with generic arguments),
/// literals, <c>T?</c>, unions and intersections (left to right, one level, as the reference reads them), arrays
/// <c>{T}</c> and <c>T[]</c>, maps <c>{[K]: V}</c>, records <c>{a: T, b?: U}</c>, function types
/// <c>(a: T, ...U) -> R</c> and <c>fun(T): R</c>, <c>readonly</c> and <c>interface</c> tables, validators
/// <c>@min(0)</c>, <c>typeof(x)</c>, <c>keyof(T)</c>, <c>T[K]</c>, <c>A extends B ? X : Y</c> and
/// <c>asserts x is T</c>. Errors are <see cref="DialectException"/>s at the offending token.
/// </summary>
internal sealed class TypeParser(TokenCursor cursor, Func<TypeNode?> typeofOperand)
{
    /// <summary>A whole type: unions, intersections and conditionals included.</summary>
    public TypeNode ParseType(bool stopAtAttribute = false)
    {
        var type = ParseSimple(stopAtAttribute);
        if (cursor.Current.Is("extends"))
        {
            cursor.Advance();
            var extends = ParsePostfix(ParsePrimary(stopAtAttribute));
            Expect("?");
            var then = ParseType(stopAtAttribute);
            Expect(":");
            return new ConditionalType(type, extends, then, ParseType(stopAtAttribute));
        }
        return UnionTail(type, stopAtAttribute);
    }

    /// <summary>What may follow a type's first member: <c>| T</c> and <c>&amp; T</c>, one level, left to right.</summary>
    private TypeNode UnionTail(TypeNode type, bool stopAtAttribute)
    {
        while (cursor.Is("|") || cursor.Is("&"))
        {
            bool union = cursor.Advance().Text == "|";
            var next = ParseSimple(stopAtAttribute);
            type = (union, type) switch
            {
                (true, UnionType u) => new UnionType([.. u.Members, next]),
                (true, _) => new UnionType([type, next]),
                (false, IntersectionType i) => new IntersectionType([.. i.Members, next]),
                _ => new IntersectionType([type, next]),
            };
        }
        return type;
    }

    /// <summary>A function's return annotation after ':': <c>T</c>, <c>T, U</c>, <c>(T, U)</c> or <c>()</c>.</summary>
    public IReadOnlyList<TypeNode> ParseReturnTypes()
    {
        var types = new List<TypeNode>();
        if (cursor.Is("("))
        {
            var open = cursor.Current;
            var (items, variadic) = ParseParenthesized();
            if (cursor.Is("->") || items.Count == 1 && items[0].Name is null && variadic is null)
                types.Add(ContinueType(FunctionOrGroup(items, variadic)));
            else
            {
                if (variadic is not null || items.Any(p => p.Name is not null))
                    throw DialectException.Near(open, "'->' expected after a function type's parameters");
                return [.. items.Select(p => p.Type)];
            }
        }
        else types.Add(ParseType());
        while (cursor.Accept(",")) types.Add(ParseType());
        return types;
    }

    /// <summary><c>&lt;T, U: C&gt;</c>, at the '&lt;'.</summary>
    public IReadOnlyList<TypeParameter> ParseTypeParameters()
    {
        Expect("<");
        var parameters = new List<TypeParameter>();
        do
        {
            var name = ExpectName("type parameter name expected");
            parameters.Add(new TypeParameter(name, cursor.Accept(":") ? ParseType() : null));
        } while (cursor.Accept(","));
        ExpectClosingAngle();
        return parameters;
    }

    /// <summary>Validators after a type: <c>@min(0) @pattern("^a")</c> (none is an empty list).</summary>
    public IReadOnlyList<Validator> ParseValidators()
    {
        var validators = new List<Validator>();
        while (cursor.Accept("@"))
        {
            var name = ExpectName("validator name expected");
            var arguments = new List<string>();
            if (cursor.Accept("("))
            {
                if (!cursor.Is(")"))
                    do arguments.Add(ParseLiteralArgument()); while (cursor.Accept(","));
                Expect(")");
            }
            validators.Add(new Validator(name, arguments));
        }
        return validators;
    }

    /// <summary>A parenthesized start already read: what may follow it in a type (<c>T?</c>, unions) still applies.</summary>
    private TypeNode ContinueType(TypeNode first) => UnionTail(ParseSuffixes(ParsePostfix(first)), false);

    private TypeNode ParseSimple(bool stopAtAttribute) => ParseSuffixes(ParsePostfix(ParsePrimary(stopAtAttribute)));

    private TypeNode ParseSuffixes(TypeNode type)
    {
        var validators = ParseValidators();
        if (validators.Count > 0) type = new AnnotatedType(type, validators);
        while (cursor.Accept("?")) type = new OptionalType(type);
        return type;
    }

    /// <summary><c>T[]</c> (an array) and <c>T[K]</c> (a field's type).</summary>
    private TypeNode ParsePostfix(TypeNode type)
    {
        while (cursor.Is("["))
        {
            cursor.Advance();
            if (cursor.Accept("]")) type = new ArrayType(type, false);
            else
            {
                var key = ParseType();
                Expect("]");
                type = new IndexType(type, key);
            }
        }
        return type;
    }

    private TypeNode ParsePrimary(bool stopAtAttribute)
    {
        var token = cursor.Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                cursor.Advance();
                return new LiteralType(LuaString.Quote(LuaString.Decode(token.Text)));
            case TokenKind.Number:
                cursor.Advance();
                return new LiteralType(token.Text);
            case TokenKind.Symbol when token.Text == "{":
                return ParseTable(false);
            case TokenKind.Symbol when token.Text == "(":
                var (items, variadic) = ParseParenthesized();
                return FunctionOrGroup(items, variadic);
            case TokenKind.Name:
                return ParseNamed(stopAtAttribute);
            default:
                throw DialectException.Near(token, "type expected");
        }
    }

    private TypeNode ParseNamed(bool stopAtAttribute)
    {
        var token = cursor.Current;
        string word = token.Text;
        var next = cursor.Peek();
        switch (word)
        {
            case "true" or "false":
                cursor.Advance();
                return new LiteralType(word);
            case "nil":
                cursor.Advance();
                return new NamedType("nil", []);
            case "fun" when next.Is("("):
                cursor.Advance();
                return ParseFun();
            case "interface" when next.Is("{"):
                cursor.Advance();
                return ParseTable(false);
            case "readonly" when next.Is("{"):
                cursor.Advance();
                return ParseTable(true);
            case "typeof" when next.Is("("):
                cursor.Advance();
                cursor.Advance();
                var declared = typeofOperand();
                Expect(")");
                return new TypeofType(declared);
            case "keyof" when next.Is("("):
                cursor.Advance();
                cursor.Advance();
                var of = ParseType();
                Expect(")");
                return new KeyofType(of);
            case "asserts" when next.IsIdentifier:
                cursor.Advance();
                var parameter = cursor.Advance().Text;
                return new AssertsType(parameter, cursor.Current.Is("is") && cursor.Advance().Kind == TokenKind.Name ? ParseType() : null);
        }
        if (!token.IsIdentifier) throw DialectException.Near(token, "type expected");
        cursor.Advance();
        string name = word;
        while (cursor.Is(".") && cursor.Peek().IsIdentifier)
        {
            cursor.Advance();
            name += "." + cursor.Advance().Text;
        }
        if (!cursor.Is("<") || stopAtAttribute && IsAttribute()) return new NamedType(name, []);
        cursor.Advance();
        var arguments = new List<TypeNode>();
        do arguments.Add(ParseType()); while (cursor.Accept(","));
        ExpectClosingAngle();
        return new NamedType(name, arguments);
    }

    /// <summary>At '&lt;' after a local's type: Lua 5.4's <c>&lt;const&gt;</c> or <c>&lt;close&gt;</c>, not generic arguments.</summary>
    private bool IsAttribute() => cursor.Peek().Text is "const" or "close" && cursor.Peek(2).Is(">");

    /// <summary><c>fun(params)</c> with an optional <c>: R</c> or <c>: (R, S)</c>, at the '('.</summary>
    private FunctionType ParseFun()
    {
        var open = cursor.Current;
        var (items, variadic) = ParseParenthesized();
        if (!cursor.Accept(":")) return new FunctionType(items, variadic, null);
        if (cursor.Is("("))
        {
            var (returns, returnVariadic) = ParseParenthesized();
            if (returnVariadic is not null || returns.Any(r => r.Name is not null))
                throw DialectException.Near(open, "return types expected");
            return new FunctionType(items, variadic, [.. returns.Select(r => r.Type)]);
        }
        return new FunctionType(items, variadic, [ParseType()]);
    }

    /// <summary>
    /// <c>( ... )</c>: parameters of a function type (<c>name: T</c>, <c>T</c>, <c>...T</c>) or a list of types;
    /// which one it is depends on what follows.
    /// </summary>
    private (List<FunctionParam> Items, TypeNode? Variadic) ParseParenthesized()
    {
        Expect("(");
        var items = new List<FunctionParam>();
        TypeNode? variadic = null;
        if (!cursor.Accept(")"))
        {
            do
            {
                if (cursor.Accept("..."))
                {
                    cursor.Accept(":");
                    variadic = ParseType();
                    break;
                }
                if (cursor.Current.IsIdentifier && cursor.Peek().Is(":"))
                {
                    var name = cursor.Advance().Text;
                    cursor.Advance();
                    items.Add(new FunctionParam(name, ParseType()));
                }
                else items.Add(new FunctionParam(null, ParseType()));
            } while (cursor.Accept(","));
            Expect(")");
        }
        return (items, variadic);
    }

    /// <summary>After a parenthesized list: a function type when '->' follows, else the one type it groups.</summary>
    private TypeNode FunctionOrGroup(List<FunctionParam> items, TypeNode? variadic)
    {
        if (cursor.Accept("->"))
        {
            if (!cursor.Is("(")) return new FunctionType(items, variadic, [ParseType()]);
            var (returns, returnVariadic) = ParseParenthesized();
            if (cursor.Is("->") || returns.Count == 1 && returns[0].Name is null && returnVariadic is null)
                return new FunctionType(items, variadic, [ContinueType(FunctionOrGroup(returns, returnVariadic))]);
            if (returnVariadic is not null || returns.Any(r => r.Name is not null))
                throw DialectException.Near(cursor.Current, "'->' expected after a function type's parameters");
            return new FunctionType(items, variadic, [.. returns.Select(r => r.Type)]);
        }
        if (items.Count == 1 && items[0].Name is null && variadic is null) return items[0].Type;
        throw DialectException.Near(cursor.Current, "'->' expected after a function type's parameters");
    }

    /// <summary><c>{T}</c>, <c>{[K]: V}</c>, <c>{a: T, b?: U}</c> or <c>{}</c>, at the '{'.</summary>
    private TypeNode ParseTable(bool isReadonly)
    {
        Expect("{");
        if (cursor.Accept("}")) return new RecordType([], isReadonly);
        if (cursor.Accept("["))
        {
            var key = ParseType();
            Expect("]");
            Expect(":");
            var value = ParseType();
            AcceptSeparator();
            Expect("}");
            return new MapType(key, value, isReadonly);
        }
        if (!IsFieldStart())
        {
            var element = ParseType();
            Expect("}");
            return new ArrayType(element, isReadonly);
        }
        var fields = new List<RecordField>();
        while (!cursor.Is("}"))
        {
            if (!IsFieldStart()) throw DialectException.Near(cursor.Current, "field name expected");
            var name = cursor.Advance().Text;
            bool optional = cursor.Accept("?");
            Expect(":");
            var type = ParseType();
            var validators = ParseValidators();
            if (validators.Count > 0) type = new AnnotatedType(type, validators);
            fields.Add(new RecordField(name, type, optional));
            if (!AcceptSeparator()) break;
        }
        Expect("}");
        return new RecordType(fields, isReadonly);
    }

    /// <summary>A record field: <c>name:</c> or <c>name?:</c> (<c>{T?}</c> is an array of optionals).</summary>
    private bool IsFieldStart() =>
        cursor.Current.IsIdentifier && (cursor.Peek().Is(":") || cursor.Peek().Is("?") && cursor.Peek(2).Is(":"));

    private bool AcceptSeparator() => cursor.Accept(",") || cursor.Accept(";");

    private string ParseLiteralArgument()
    {
        var token = cursor.Current;
        if (token.Is("-") && cursor.Peek().Kind == TokenKind.Number)
        {
            cursor.Advance();
            return "-" + cursor.Advance().Text;
        }
        if (token.Kind == TokenKind.Number || token.Text is "true" or "false" or "nil" && token.Kind == TokenKind.Name)
            return cursor.Advance().Text;
        if (token.Kind == TokenKind.String) return LuaString.Quote(LuaString.Decode(cursor.Advance().Text));
        throw DialectException.Near(token, "a validator's arguments must be literal numbers, strings or booleans");
    }

    private void Expect(string text)
    {
        if (!cursor.Accept(text)) throw DialectException.Near(cursor.Current, $"'{text}' expected");
    }

    private void ExpectClosingAngle()
    {
        cursor.SplitAngle();
        Expect(">");
    }

    private string ExpectName(string what)
    {
        if (!cursor.Current.IsIdentifier) throw DialectException.Near(cursor.Current, what);
        return cursor.Advance().Text;
    }
}
