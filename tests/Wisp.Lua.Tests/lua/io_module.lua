-- io: the terminal host's stdin, stdout and stderr (main runs there: meta.default_host), and io on another host
-- (elsewhere). The input is what the test gives: "first line\nabcdefgh\nlast, no newline"; what was written is checked
-- by LuaApiTests, which reads the output (a test cannot).
local io = require("io")
local check = require("check")
local eq = check.eq

local function unavailable(what, ok, err)
    eq(ok, nil, what .. " gives nil")
    eq(tostring(err), "no terminal context", what .. ": the error")
    eq(err:kind(), errors.UNAVAILABLE, what .. ": unavailable")
    eq(err:retryable(), false, what .. ": not retryable")
end

local function main()
    local custom = setmetatable({}, { __tostring = function() return "custom" end })
    eq(io.write("a", 1, "b", 2.5, " "), true, "write")
    eq(io.write(10 / 2, true, nil, custom, "\n"), true, "write converts as tostring does")
    eq(io.print("x", 2, "y"), true, "print")
    eq(io.print(true, false, nil, 42, custom, "tail"), true, "print converts as tostring does")
    eq(io.print(), true, "print of nothing is an empty line")
    eq(io.eprint("to stderr", 1, nil), true, "eprint")
    eq(io.flush(), true, "flush")

    eq(io.readline(), "first line", "readline gives a line without its newline")
    eq(io.read(4), "abcd", "read gives up to n characters")
    eq(io.readline(), "efgh", "the rest of the line")
    eq(io.readline(), "last, no newline", "a last line without a newline")
    local none, err = io.readline()
    eq(none, nil, "readline at the end of input")
    eq(tostring(err), "EOF", "EOF")
    eq(err:kind(), errors.INTERNAL, "a read failure is internal")
    none, err = io.read()
    eq(none, nil, "read at the end of input")
    eq(tostring(err), "EOF", "EOF again")

    local args = io.args()
    eq(type(args), "table", "args")
    eq(#args, 0, "no arguments for a test")
    local raw, why = io.raw(true)
    eq(raw, nil, "no raw mode")
    eq(tostring(why), "raw terminal control unavailable", "raw's error")
    eq(why:kind(), errors.UNAVAILABLE, "raw is unavailable")

    local elsewhere = require("funcs").call("app:io_elsewhere")
    eq(elsewhere, "checked", "io on another host")
end

-- On a process host: every function but args gives nil and "no terminal context".
local function elsewhere()
    unavailable("write", io.write("x"))
    unavailable("print", io.print("x"))
    unavailable("eprint", io.eprint("x"))
    unavailable("read", io.read(1))
    unavailable("readline", io.readline())
    unavailable("flush", io.flush())
    unavailable("raw", io.raw(true))
    eq(#io.args(), 0, "args is empty")
    return "checked"
end

return { main = main, elsewhere = elsewhere }
