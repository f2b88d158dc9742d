namespace Wisp.Lua.Dialect;

/// <summary>
/// Lua 5.4's grammar (lparser.c's recursive descent) with the dialect's additions at the places the reference's
/// grammar allows them: a type after a local's name, a parameter or '...', after a parameter list's ')'; generic
/// parameters after a function's name; <c>type</c> and <c>interface</c> declarations as statements; <c>::</c>,
/// <c>as</c> and <c>!</c> after a simple expression. It records, as it goes, what the translation changes: each
/// annotation erased, each declaration collected (and erased), <c>typeof(x)</c> of an annotated local and
/// <c>string(x)</c> rewritten to the run-time type values.
/// <para>
/// A malformed annotation is a <see cref="DialectException"/>. Text that is not Lua where no annotation can stand
/// ends the parse quietly: what was recorded before it stays, and Lua's own compiler reports the error at its line.
/// </para>
/// </summary>
internal sealed class DialectParser
{
    /// <summary>The local every translated file declares first: its run-time type values (see Prelude/types.lua).</summary>
    public const string Module = "__wisp_T";

    private static readonly HashSet<string> UnaryOperators = ["not", "-", "#", "~"];

    private static readonly Dictionary<string, (int Left, int Right)> BinaryPriority = new()
    {
        ["or"] = (1, 1), ["and"] = (2, 2),
        ["<"] = (3, 3), [">"] = (3, 3), ["<="] = (3, 3), [">="] = (3, 3), ["~="] = (3, 3), ["=="] = (3, 3),
        ["|"] = (4, 4), ["~"] = (5, 5), ["&"] = (6, 6), ["<<"] = (7, 7), [">>"] = (7, 7),
        [".."] = (9, 8), ["+"] = (10, 10), ["-"] = (10, 10),
        ["*"] = (11, 11), ["/"] = (11, 11), ["//"] = (11, 11), ["%"] = (11, 11), ["^"] = (14, 13),
    };

    private const int UnaryPriority = 12;

    private readonly TokenCursor _cursor;
    private readonly TypeParser _types;
    private readonly LocalScopes _scopes = new();
    private readonly Dictionary<string, int> _staticIndex = [];

    private DialectParser(List<LuaToken> tokens)
    {
        _cursor = new TokenCursor(tokens);
        _types = new TypeParser(_cursor, TypeofOperand);
    }

    public SourceEdits Edits { get; } = new();
    public List<TypeDeclaration> Declarations { get; } = [];

    /// <summary>Types known statically that the code reads as values (<c>typeof(x)</c>), by their index in the module.</summary>
    public List<TypeNode> StaticTypes { get; } = [];

    /// <summary>Whether the rewritten code reads <see cref="Module"/>.</summary>
    public bool UsesModule { get; private set; }

    public static DialectParser Parse(List<LuaToken> tokens)
    {
        var parser = new DialectParser(tokens);
        try
        {
            parser._scopes.Open();
            parser.Block();
        }
        catch (NotLua)
        {
            // the edits made so far stay: Lua reports what follows
        }
        return parser;
    }

    /// <summary>Text that is not Lua outside any annotation: the parse ends, Lua's compiler says why.</summary>
    private sealed class NotLua : Exception;

    private LuaToken Current => _cursor.Current;

    private void Expect(string text)
    {
        if (!_cursor.Accept(text)) throw new NotLua();
    }

    private string ExpectName()
    {
        if (!Current.IsIdentifier) throw new NotLua();
        return _cursor.Advance().Text;
    }

    private bool BlockFollows() => Current.Kind is TokenKind.End or TokenKind.Error
        || Current.Kind == TokenKind.Name && Current.Text is "else" or "elseif" or "end" or "until";

    private void Block()
    {
        while (!BlockFollows())
        {
            if (Current.Is("return") && Current.Kind == TokenKind.Name)
            {
                _cursor.Advance();
                if (!BlockFollows() && !Current.Is(";")) ExpressionList();
                _cursor.Accept(";");
                return;
            }
            Statement();
        }
        if (Current.Kind == TokenKind.Error) throw new NotLua();
    }

    private void ScopedBlock()
    {
        _scopes.Open();
        Block();
        _scopes.Close();
    }

    private void Statement()
    {
        var token = Current;
        if (token.Kind == TokenKind.Symbol)
        {
            if (_cursor.Accept(";")) return;
            if (token.Text == "::")
            {
                _cursor.Advance();
                ExpectName();
                Expect("::");
                return;
            }
        }
        if (token.Kind == TokenKind.Name)
        {
            switch (token.Text)
            {
                case "if": IfStatement(); return;
                case "while":
                    _cursor.Advance();
                    Expression();
                    Expect("do");
                    ScopedBlock();
                    Expect("end");
                    return;
                case "do":
                    _cursor.Advance();
                    ScopedBlock();
                    Expect("end");
                    return;
                case "for": ForStatement(); return;
                case "repeat":
                    _cursor.Advance();
                    _scopes.Open();
                    Block();
                    Expect("until");
                    Expression();
                    _scopes.Close();
                    return;
                case "function": FunctionStatement(); return;
                case "local":
                    _cursor.Advance();
                    if (_cursor.Accept("function"))
                    {
                        var name = ExpectName();
                        _scopes.Declare(name, null);
                        FunctionBody(false);
                    }
                    else LocalStatement();
                    return;
                case "break":
                    _cursor.Advance();
                    return;
                case "goto":
                    _cursor.Advance();
                    ExpectName();
                    return;
                case "type" when _cursor.Peek().IsIdentifier && (_cursor.Peek(2).Is("=") || _cursor.Peek(2).Is("<")):
                    TypeDeclarationStatement();
                    return;
                case "interface" when _cursor.Peek().IsIdentifier:
                    InterfaceStatement();
                    return;
            }
        }
        ExpressionStatement();
    }

    private void IfStatement()
    {
        _cursor.Advance();
        Expression();
        Expect("then");
        ScopedBlock();
        while (_cursor.Accept("elseif"))
        {
            Expression();
            Expect("then");
            ScopedBlock();
        }
        if (_cursor.Accept("else")) ScopedBlock();
        Expect("end");
    }

    private void ForStatement()
    {
        _cursor.Advance();
        var names = new List<string> { ExpectName() };
        if (_cursor.Accept("="))
        {
            Expression();
            Expect(",");
            Expression();
            if (_cursor.Accept(",")) Expression();
        }
        else
        {
            while (_cursor.Accept(",")) names.Add(ExpectName());
            Expect("in");
            ExpressionList();
        }
        Expect("do");
        _scopes.Open();
        foreach (var name in names) _scopes.Declare(name, null);
        Block();
        _scopes.Close();
        Expect("end");
    }

    private void FunctionStatement()
    {
        _cursor.Advance();
        ExpectName();
        while (_cursor.Accept(".")) ExpectName();
        bool method = _cursor.Accept(":");
        if (method) ExpectName();
        FunctionBody(method);
    }

    /// <summary>Locals with their types (erased) and attributes; they come into scope after the statement.</summary>
    private void LocalStatement()
    {
        var locals = new List<(string Name, TypeNode? Type)>();
        do
        {
            var name = ExpectName();
            TypeNode? type = null;
            if (Current.Is(":"))
            {
                int start = _cursor.Advance().Start;
                type = _types.ParseType(stopAtAttribute: true);
                Edits.Erase(start, _cursor.Previous.End);
            }
            if (_cursor.Accept("<"))
            {
                ExpectName();
                Expect(">");
            }
            locals.Add((name, type));
        } while (_cursor.Accept(","));
        if (_cursor.Accept("=")) ExpressionList();
        foreach (var (name, type) in locals) _scopes.Declare(name, type);
    }

    /// <summary>
    /// Generic parameters, the parameter list with its types, the return types, then the body: every annotation
    /// erased.
    /// </summary>
    private void FunctionBody(bool method)
    {
        if (Current.Is("<"))
        {
            int start = Current.Start;
            _types.ParseTypeParameters();
            Edits.Erase(start, _cursor.Previous.End);
        }
        Expect("(");
        _scopes.Open();
        if (method) _scopes.Declare("self", null);
        if (!Current.Is(")"))
        {
            do
            {
                if (_cursor.Accept("...")) { EraseAnnotation(); break; }
                var name = ExpectName();
                _scopes.Declare(name, EraseAnnotation());
            } while (_cursor.Accept(","));
        }
        Expect(")");
        if (Current.Is(":"))
        {
            int start = _cursor.Advance().Start;
            _types.ParseReturnTypes();
            Edits.Erase(start, _cursor.Previous.End);
        }
        Block();
        _scopes.Close();
        Expect("end");
    }

    /// <summary>An optional <c>: T</c> where the cursor is: erased; its type.</summary>
    private TypeNode? EraseAnnotation()
    {
        if (!Current.Is(":")) return null;
        int start = _cursor.Advance().Start;
        var type = _types.ParseType();
        Edits.Erase(start, _cursor.Previous.End);
        return type;
    }

    /// <summary><c>type Name&lt;T&gt; = T</c>: collected and erased.</summary>
    private void TypeDeclarationStatement()
    {
        var keyword = _cursor.Advance();
        var nameToken = _cursor.Advance();
        var parameters = Current.Is("<") ? _types.ParseTypeParameters() : [];
        if (!_cursor.Accept("=")) throw DialectException.Near(Current, "'=' expected");
        var body = _types.ParseType();
        Declarations.Add(new TypeDeclaration(nameToken.Text, parameters, body, nameToken.Line, nameToken.Column));
        Edits.Erase(keyword.Start, _cursor.Previous.End);
    }

    /// <summary><c>interface Name: Base function m(self: T): R ... end</c>: collected and erased.</summary>
    private void InterfaceStatement()
    {
        var keyword = _cursor.Advance();
        var nameToken = _cursor.Advance();
        var extends = new List<string>();
        if (_cursor.Accept(":"))
            do extends.Add(InterfaceName()); while (_cursor.Accept(","));
        var methods = new List<RecordField>();
        while (_cursor.Accept("function"))
        {
            var name = InterfaceName();
            if (!_cursor.Accept("(")) throw DialectException.Near(Current, "'(' expected");
            var parameters = new List<FunctionParam>();
            TypeNode? variadic = null;
            if (!Current.Is(")"))
            {
                do
                {
                    if (_cursor.Accept("..."))
                    {
                        variadic = _cursor.Accept(":") ? _types.ParseType() : new NamedType("any", []);
                        break;
                    }
                    var parameter = InterfaceName();
                    parameters.Add(new FunctionParam(parameter, _cursor.Accept(":") ? _types.ParseType() : new NamedType("any", [])));
                } while (_cursor.Accept(","));
            }
            if (!_cursor.Accept(")")) throw DialectException.Near(Current, "')' expected");
            var returns = _cursor.Accept(":") ? _types.ParseReturnTypes() : null;
            methods.Add(new RecordField(name, new FunctionType(parameters, variadic, returns), false));
        }
        if (!_cursor.Accept("end")) throw DialectException.Near(Current, "'end' expected");
        Declarations.Add(new TypeDeclaration(nameToken.Text, [], new InterfaceType(extends, methods), nameToken.Line, nameToken.Column));
        Edits.Erase(keyword.Start, _cursor.Previous.End);
    }

    private string InterfaceName()
    {
        if (!Current.IsIdentifier) throw DialectException.Near(Current, "name expected");
        return _cursor.Advance().Text;
    }

    private void ExpressionStatement()
    {
        SuffixedExpression();
        if (Current.Is("=") || Current.Is(","))
        {
            while (_cursor.Accept(",")) SuffixedExpression();
            Expect("=");
            ExpressionList();
        }
    }

    private void ExpressionList()
    {
        Expression();
        while (_cursor.Accept(",")) Expression();
    }

    private void Expression(int limit = 0)
    {
        if (UnaryOperators.Contains(Current.Text) && Current.Kind is TokenKind.Symbol or TokenKind.Name)
        {
            _cursor.Advance();
            Expression(UnaryPriority);
        }
        else SimpleExpression();
        while (Current.Kind is TokenKind.Symbol or TokenKind.Name && BinaryPriority.TryGetValue(Current.Text, out var priority)
               && priority.Left > limit)
        {
            _cursor.Advance();
            Expression(priority.Right);
        }
    }

    private void SimpleExpression()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number or TokenKind.String:
                _cursor.Advance();
                break;
            case TokenKind.Name when token.Text is "nil" or "true" or "false":
                _cursor.Advance();
                break;
            case TokenKind.Name when token.Text == "function":
                _cursor.Advance();
                FunctionBody(false);
                break;
            case TokenKind.Symbol when token.Text == "...":
                _cursor.Advance();
                break;
            case TokenKind.Symbol when token.Text == "{":
                TableConstructor();
                break;
            default:
                SuffixedExpression();
                break;
        }
        Casts();
    }

    /// <summary>The dialect's postfix operators after a simple expression: <c>:: T</c>, <c>as T</c>, <c>!</c> (all erased).</summary>
    private void Casts()
    {
        while (true)
        {
            var token = Current;
            if (token.Is("!") && token.Kind == TokenKind.Symbol)
            {
                _cursor.Advance();
                Edits.Erase(token.Start, token.End);
            }
            else if (token.Is("::") && token.Kind == TokenKind.Symbol && !(_cursor.Peek().IsIdentifier && _cursor.Peek(2).Is("::")))
            {
                _cursor.Advance();
                _types.ParseType();
                Edits.Erase(token.Start, _cursor.Previous.End);
            }
            else if (!IsAsCast() || !TryAsCast()) return;
        }
    }

    /// <summary>
    /// Whether an <c>as</c> here may be a cast: <c>as</c> is no keyword of Lua's, so a local named so, or a new
    /// statement starting with it (<c>as = 1</c>, or a call <c>as(x)</c> on a line of its own), is not.
    /// </summary>
    private bool IsAsCast()
    {
        var token = Current;
        if (!token.Is("as") || token.Kind != TokenKind.Name || _scopes.IsLocal("as")) return false;
        var next = _cursor.Peek();
        bool startsLine = _cursor.Previous.Line < token.Line;
        return next.Kind switch
        {
            TokenKind.Name => next.IsIdentifier || next.Text is "nil" or "true" or "false",
            TokenKind.Number => true,
            TokenKind.String => !startsLine,
            TokenKind.Symbol => next.Text is "{" or "(" && !startsLine,
            _ => false,
        };
    }

    /// <summary>Reads <c>as T</c> if a type follows; else leaves the cursor where it was.</summary>
    private bool TryAsCast()
    {
        var asToken = Current;
        var mark = _cursor.Mark();
        int edits = Edits.Count;
        try
        {
            _cursor.Advance();
            _types.ParseType();
        }
        catch (DialectException)
        {
            _cursor.Reset(mark);
            Edits.Truncate(edits);
            return false;
        }
        Edits.Erase(asToken.Start, _cursor.Previous.End);
        return true;
    }

    private void PrimaryExpression()
    {
        var token = Current;
        if (token.IsIdentifier)
        {
            if (!Rewritten(token)) _cursor.Advance();
            return;
        }
        if (_cursor.Accept("("))
        {
            Expression();
            Expect(")");
            return;
        }
        throw new NotLua();
    }

    /// <summary>
    /// <c>typeof(x)</c> of a local declared with a type becomes that type's value; a call of <c>string</c> (the
    /// string library) becomes a call of the string type, which checks its argument, as the reference's does.
    /// </summary>
    private bool Rewritten(LuaToken token)
    {
        var next = _cursor.Peek();
        if (token.Text == "typeof" && next.Is("(") && !_scopes.IsLocal("typeof") && _cursor.Peek(2).IsIdentifier
            && _cursor.Peek(3).Is(")") && _scopes.TryFind(_cursor.Peek(2).Text, out var declared) && declared is not null)
        {
            var close = _cursor.Peek(3);
            Edits.Replace(token.Start, close.End, $"{Module}[{StaticIndex(declared)}]");
            UsesModule = true;
            for (int i = 0; i < 4; i++) _cursor.Advance();
            return true;
        }
        if (token.Text == "string" && (next.Is("(") || next.Is("{") || next.Kind == TokenKind.String) && !_scopes.IsLocal("string"))
        {
            Edits.Replace(token.Start, token.End, $"{Module}.string");
            UsesModule = true;
            _cursor.Advance();
            return true;
        }
        return false;
    }

    private int StaticIndex(TypeNode type)
    {
        var key = TypeDescriptor.Write(type);
        if (_staticIndex.TryGetValue(key, out int index)) return index;
        StaticTypes.Add(type);
        _staticIndex[key] = StaticTypes.Count;
        return StaticTypes.Count;
    }

    /// <summary>The declared type of the local named in <c>typeof(x)</c> inside a type (null if not one).</summary>
    private TypeNode? TypeofOperand()
    {
        var token = Current;
        if (token.IsIdentifier && _cursor.Peek().Is(")"))
        {
            _cursor.Advance();
            return _scopes.TryFind(token.Text, out var type) ? type : null;
        }
        try
        {
            Expression();
        }
        catch (NotLua)
        {
            throw DialectException.Near(Current, "expression expected");
        }
        return null;
    }

    private void SuffixedExpression()
    {
        PrimaryExpression();
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.String)
            {
                _cursor.Advance();
                continue;
            }
            if (token.Kind != TokenKind.Symbol) return;
            switch (token.Text)
            {
                case ".":
                    _cursor.Advance();
                    ExpectName();
                    break;
                case "[":
                    _cursor.Advance();
                    Expression();
                    Expect("]");
                    break;
                case ":":
                    _cursor.Advance();
                    ExpectName();
                    CallArguments();
                    break;
                case "(" or "{":
                    CallArguments();
                    break;
                case "!":
                    _cursor.Advance();
                    Edits.Erase(token.Start, token.End);
                    break;
                default:
                    return;
            }
        }
    }

    private void CallArguments()
    {
        if (Current.Kind == TokenKind.String)
        {
            _cursor.Advance();
            return;
        }
        if (Current.Is("{"))
        {
            TableConstructor();
            return;
        }
        Expect("(");
        if (!Current.Is(")")) ExpressionList();
        Expect(")");
    }

    private void TableConstructor()
    {
        Expect("{");
        while (!Current.Is("}"))
        {
            if (Current.Is("["))
            {
                _cursor.Advance();
                Expression();
                Expect("]");
                Expect("=");
                Expression();
            }
            else if (Current.IsIdentifier && _cursor.Peek().Is("="))
            {
                _cursor.Advance();
                _cursor.Advance();
                Expression();
            }
            else Expression();
            if (!_cursor.Accept(",") && !_cursor.Accept(";")) break;
        }
        Expect("}");
    }
}
