using System.Text;
using Wisp.Hosting;
using static Wisp.Lua.Native.LuaApi;

namespace Wisp.Lua;

/// <summary>
/// The <c>io</c> module: the terminal of a terminal host (stdin, stdout, stderr); on another host every function
/// but <c>args</c> returns <c>nil, err</c> "no terminal context" (Unavailable, not retryable). Only the calling
/// coroutine waits for input. Write, print and eprint get their values as text (the prelude applies tostring, as
/// the reference does); a failed write or flush, and a read at the end of input ("EOF") or that fails, are
/// Internal errors, not retryable; print and eprint ignore write errors, as the reference does.
/// </summary>
internal static unsafe class IoPrimitives
{
    public static void Register(Primitives.Registrar p)
    {
        p.Add("io_write", &Write);
        p.Add("io_print", &Print);
        p.Add("io_eprint", &EPrint);
        p.Add("io_read", &Read);
        p.Add("io_readline", &ReadLine);
        p.Add("io_flush", &Flush);
        p.Add("io_args", &Args);
        p.Add("io_raw", &Raw);
    }

    private static Terminal? TerminalOf(LuaCall call) => call.HasProcess ? call.Process.Context.Feature<Terminal>() : null;

    private static int NoTerminal(LuaCall call) => call.Fail(new ProcessError("no terminal context", ErrorKind.Unavailable, false));

    private static ProcessError Failed(string message) => new(message, ErrorKind.Internal, false);

    private static string Join(LuaCall call, string separator)
    {
        var text = new StringBuilder();
        for (int i = 1; i <= call.Count; i++)
        {
            if (i > 1) text.Append(separator);
            text.Append(call.TextOrNumber(i));
        }
        return text.ToString();
    }

    private static int Write(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        try
        {
            terminal.Write(Join(call, ""));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return call.Fail(Failed(e.Message));
        }
        return call.True();
    }

    private static int Print(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        try
        {
            terminal.Print(Join(call, "\t"));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the reference ignores write errors of print
        }
        return call.True();
    }

    private static int EPrint(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        try
        {
            terminal.PrintError(Join(call, "\t"));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        return call.True();
    }

    private static int ReadLine(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        ValueTask<string?> line;
        try
        {
            line = terminal.ReadLine();
        }
        catch (WispException e)
        {
            return call.Fail(Failed(e.Message));
        }
        var pending = new PendingText(call.Shard, line);
        return line.IsCompleted ? pending.PushResults(call.L) : call.Process.Suspend(call.L, pending);
    }

    /// <summary>io.read(n): up to n characters (n ≤ 0 or none: 1024); nil and the error "EOF" at the end of input.</summary>
    private static int Read(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        long n = ToInteger(call.L, 1) ?? 1024;
        if (n <= 0) n = 1024;
        ValueTask<string?> text;
        try
        {
            text = terminal.Read((int)Math.Min(n, 1 << 20));
        }
        catch (WispException e)
        {
            return call.Fail(Failed(e.Message));
        }
        var pending = new PendingText(call.Shard, text);
        return text.IsCompleted ? pending.PushResults(call.L) : call.Process.Suspend(call.L, pending);
    }

    private static int Flush(LuaCall call)
    {
        if (TerminalOf(call) is not { } terminal) return NoTerminal(call);
        try
        {
            terminal.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return call.Fail(Failed(e.Message));
        }
        return call.True();
    }

    private static int Args(LuaCall call)
    {
        var args = TerminalOf(call)?.Args ?? [];
        lua_createtable(call.L, args.Count, 0);
        for (int i = 0; i < args.Count; i++)
        {
            PushString(call.L, args[i]);
            lua_rawseti(call.L, -2, i + 1);
        }
        return 1;
    }

    /// <summary>io.raw(enable): Wisp's terminal has no raw mode (the reference's answer where its terminal has none).</summary>
    private static int Raw(LuaCall call) => TerminalOf(call) is null
        ? NoTerminal(call)
        : call.Fail(new ProcessError("raw terminal control unavailable", ErrorKind.Unavailable, false));
}

/// <summary>A read of the terminal: the text, or nil and an Internal error, "EOF" at the end of input.</summary>
internal sealed class PendingText(LuaShard shard, ValueTask<string?> read) : PendingOperation
{
    private string? _text;
    private string? _error;

    public override async ValueTask Wait()
    {
        try
        {
            _text = await read;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or WispException)
        {
            _error = e.Message;
        }
    }

    public override int PushResults(nint T)
    {
        if (read.IsCompleted && _text is null && _error is null)
        {
            try
            {
                _text = read.Result;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or WispException)
            {
                _error = e.Message;
            }
        }
        if (_text is not null)
        {
            PushString(T, _text);
            return 1;
        }
        lua_pushnil(T);
        ErrorValues.Push(shard, T, new ProcessError(_error ?? "EOF", ErrorKind.Internal, false), _ => lua_pushnil(T));
        return 2;
    }
}
