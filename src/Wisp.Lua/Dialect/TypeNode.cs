namespace Wisp.Lua.Dialect;

/// <summary>A type expression of the dialect, as written (names are resolved only at run time).</summary>
internal abstract record TypeNode;

/// <summary>A type by name: a primitive (<c>number</c>), a declared type, a type parameter, <c>mod.Type</c>; with arguments, a generic's instance.</summary>
internal sealed record NamedType(string Name, IReadOnlyList<TypeNode> Arguments) : TypeNode;

/// <summary>A literal type: <see cref="Lua"/> is the value as a Lua expression on one line (<c>"done"</c>, <c>42</c>, <c>true</c>).</summary>
internal sealed record LiteralType(string Lua) : TypeNode;

internal sealed record OptionalType(TypeNode Inner) : TypeNode;

internal sealed record UnionType(IReadOnlyList<TypeNode> Members) : TypeNode;

internal sealed record IntersectionType(IReadOnlyList<TypeNode> Members) : TypeNode;

internal sealed record ArrayType(TypeNode Element, bool Readonly) : TypeNode;

internal sealed record MapType(TypeNode Key, TypeNode Value, bool Readonly) : TypeNode;

internal sealed record RecordField(string Name, TypeNode Type, bool Optional);

internal sealed record RecordType(IReadOnlyList<RecordField> Fields, bool Readonly) : TypeNode;

/// <summary>A parameter of a function type; <see cref="Name"/> is null when it has none.</summary>
internal sealed record FunctionParam(string? Name, TypeNode Type);

/// <summary><c>(a: T, U, ...V) -> R</c>; <see cref="Returns"/> is empty for <c>-> ()</c>, null when none is written.</summary>
internal sealed record FunctionType(IReadOnlyList<FunctionParam> Parameters, TypeNode? Variadic, IReadOnlyList<TypeNode>? Returns) : TypeNode;

/// <summary>A validator: <c>@min(0)</c>; its arguments are literals, each a Lua expression on one line.</summary>
internal sealed record Validator(string Name, IReadOnlyList<string> Arguments);

internal sealed record AnnotatedType(TypeNode Inner, IReadOnlyList<Validator> Validators) : TypeNode;

/// <summary><c>typeof(x)</c> in a type: the declared type of the local x when the front end knows it, else null.</summary>
internal sealed record TypeofType(TypeNode? Declared) : TypeNode;

internal sealed record KeyofType(TypeNode Of) : TypeNode;

/// <summary><c>T[K]</c>: the type of a field of a record.</summary>
internal sealed record IndexType(TypeNode Of, TypeNode Key) : TypeNode;

/// <summary><c>A extends B ? X : Y</c>.</summary>
internal sealed record ConditionalType(TypeNode Check, TypeNode Extends, TypeNode Then, TypeNode Else) : TypeNode;

/// <summary><c>asserts x is T</c>, a return type that only the checker reads.</summary>
internal sealed record AssertsType(string Parameter, TypeNode? Narrowed) : TypeNode;

/// <summary>A declared interface: its methods as a record of function types.</summary>
internal sealed record InterfaceType(IReadOnlyList<string> Extends, IReadOnlyList<RecordField> Methods) : TypeNode;

/// <summary>A generic's parameter: <c>T</c> or <c>T: Constraint</c>.</summary>
internal sealed record TypeParameter(string Name, TypeNode? Constraint);

/// <summary>A <c>type</c> or <c>interface</c> declaration of the file, where it is written.</summary>
internal sealed record TypeDeclaration(string Name, IReadOnlyList<TypeParameter> Parameters, TypeNode Body, int Line, int Column);
