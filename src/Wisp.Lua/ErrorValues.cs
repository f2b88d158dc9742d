using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// Error objects in Lua: a userdata (type "userdata", as the reference's) whose user value is a table of its
/// fields (message, kind, retryable, details, context, stack), read by the methods the prelude gives them
/// (<c>err:kind()</c>...). <c>tostring(err)</c> is the bare message. They cross process boundaries as
/// <see cref="ProcessError"/>s.
/// </summary>
internal static unsafe class ErrorValues
{
    /// <summary>The reference's name of a kind (<see cref="ErrorKind.Unknown"/> is the empty string).</summary>
    public static string KindName(ErrorKind kind) => kind == ErrorKind.Unknown ? "" : kind.ToString();

    public static ErrorKind ParseKind(string? name) =>
        !string.IsNullOrEmpty(name) && Enum.TryParse<ErrorKind>(name, ignoreCase: false, out var kind) && name != nameof(ErrorKind.Unknown)
            ? kind : ErrorKind.Unknown;

    /// <summary>Pushes an error object; <paramref name="writeDetails"/> pushes its details value (called only if it has some).</summary>
    public static void Push(LuaShard shard, nint L, ProcessError error, Action<object?> writeDetails)
    {
        PushShell(shard, L);
        lua_createtable(L, 0, 4);
        SetText(L, "message", error.Message);
        SetText(L, "kind", KindName(error.Kind));
        if (error.Retryable is { } retryable)
        {
            PushString(L, "retryable");
            lua_pushboolean(L, retryable ? 1 : 0);
            lua_rawset(L, -3);
        }
        if (error.Details is not null)
        {
            PushString(L, "details");
            writeDetails(error.Details);
            lua_rawset(L, -3);
        }
        lua_setiuservalue(L, -2, 1);
    }

    /// <summary>Pushes an error with just a message and a kind (what a primitive returns as its second value).</summary>
    public static void Push(LuaShard shard, nint L, string message, ErrorKind kind) =>
        Push(shard, L, new ProcessError(message, kind), _ => lua_pushnil(L));

    /// <summary>Pushes a new error from Lua's own values: the fields table is built here, details taken as given.</summary>
    public static void PushNew(LuaShard shard, nint L, int message, int kind, int retryable, int details)
    {
        PushShell(shard, L);
        lua_createtable(L, 0, 4);
        PushString(L, "message");
        lua_pushvalue(L, message);
        lua_rawset(L, -3);
        PushString(L, "kind");
        if (lua_type(L, kind) == TString) lua_pushvalue(L, kind);
        else PushString(L, "");
        lua_rawset(L, -3);
        if (lua_type(L, retryable) == TBoolean)
        {
            PushString(L, "retryable");
            lua_pushvalue(L, retryable);
            lua_rawset(L, -3);
        }
        if (lua_type(L, details) == TTable)
        {
            PushString(L, "details");
            lua_pushvalue(L, details);
            lua_rawset(L, -3);
        }
        lua_setiuservalue(L, -2, 1);
    }

    private static void PushShell(LuaShard shard, nint L)
    {
        var error = Userdata.Push<HandleUserdata>(L, shard.ErrorMt, userValues: 1);
        error->Tag = UserdataTag.Error;
        error->Handle = 0;
    }

    /// <summary>Pushes the fields table of the error at <paramref name="index"/>; false (nothing pushed) if it is none.</summary>
    public static bool PushFields(nint L, int index)
    {
        if (Userdata.TagOf(L, index) != UserdataTag.Error) return false;
        lua_getiuservalue(L, index, 1);
        return true;
    }

    /// <summary>Reads the error at <paramref name="index"/>; <paramref name="readDetails"/> copies its details table out.</summary>
    public static ProcessError Read(nint L, int index, Func<int, object?> readDetails)
    {
        index = lua_absindex(L, index);
        if (!PushFields(L, index)) throw new InvalidOperationException("not an error object");
        string message = Field(L, "message") ?? "";
        string? kind = Field(L, "kind");
        PushString(L, "retryable");
        bool? retryable = lua_rawget(L, -2) == TBoolean ? lua_toboolean(L, -1) != 0 : null;
        Pop(L, 1);
        PushString(L, "context");
        lua_rawget(L, -2);
        if (ToText(L, -1) is { Length: > 0 } context) message = $"{context}: {message}";
        Pop(L, 1);
        PushString(L, "details");
        object? details = lua_rawget(L, -2) == TTable ? readDetails(lua_gettop(L)) : null;
        Pop(L, 2);
        return new ProcessError(message, ParseKind(kind), retryable) { Details = details };
    }

    /// <summary>The message of the error at <paramref name="index"/>, or null if it is not one.</summary>
    public static string? MessageOf(nint L, int index)
    {
        if (!PushFields(L, index)) return null;
        var message = Field(L, "message");
        Pop(L, 1);
        return message;
    }

    private static string? Field(nint L, string name)
    {
        PushString(L, name);
        lua_rawget(L, -2);
        var text = ToText(L, -1);
        Pop(L, 1);
        return text;
    }

    private static void SetText(nint L, string key, string value)
    {
        PushString(L, key);
        PushString(L, value);
        lua_rawset(L, -3);
    }
}
