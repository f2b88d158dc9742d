-- funcs: entries called as functions, each call a process of its own; results and every documented error.
local funcs = require("funcs")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    -- the value main returns comes back, an integer as an integer
    local v, err = funcs.call("app:double", 21)
    eq(err, nil, "no error")
    eq(v, 42, "double")
    eq(math.type(v), "integer", "an integer stays one")
    eq(funcs.call("app:double", 1.5), 3.0, "a float")

    -- arguments and results are copied like messages
    local t = funcs.call("app:echo", "a", { x = 1 }, true)
    eq(t.n, 3, "three arguments")
    eq(t[1], "a", "first")
    eq(t[2].x, 1, "a table")
    eq(t[3], true, "a boolean")

    -- an error is nil and an error value: returned as text, as an object, or raised (with the file and line)
    local none, e = funcs.call("app:fail", "text", "it broke")
    eq(none, nil, "no value on error")
    eq(tostring(e), "it broke", "returned text")
    none, e = funcs.call("app:fail", "object", "busy")
    eq(e:kind(), errors.CONFLICT, "kind kept")
    eq(e:retryable(), true, "retryable kept")
    none, e = funcs.call("app:fail", "raise", "exploded")
    assert(tostring(e):find("_functions.lua:7: exploded", 1, true), "raised: " .. tostring(e))

    -- each call is a process of its own: its PID, its own mailbox
    local info = funcs.call("app:whoami")
    assert(info.pid ~= process.pid(), "not the caller's PID")
    eq(info.topic, "self", "its own inbox")
    eq(info.from, info.pid, "sent by itself")

    -- a function may call functions
    eq(funcs.call("app:nested", 5), 11, "nested call")

    -- a process.lua entry can be called too: its main's values
    eq(funcs.call("app:_quick", "hi"), "hi", "a process entry")

    -- bad targets, with the reference's messages
    none, e = funcs.call("")
    eq(tostring(e), "target name is required", "empty")
    eq(e:kind(), errors.INVALID, "empty is invalid")
    none, e = funcs.call("double")
    eq(tostring(e), "invalid registry ID: namespace is required, got empty namespace in ID: double", "no namespace")
    none, e = funcs.call("app:")
    eq(tostring(e), "invalid registry ID: name is required, got empty name in ID: app:", "no name")
    none, e = funcs.call("app:nope")
    eq(tostring(e), "function not found: app:nope", "unknown")
    eq(e:kind(), errors.NOT_FOUND, "unknown is not found")
    none, e = funcs.call("app:helpers")
    eq(tostring(e), "entry app:helpers is a library.lua, not a function or a process", "a library")
    local ok, why = pcall(funcs.call, 42)
    assert(not ok and why:find("bad argument #1 to 'call' (string expected, got number)", 1, true), tostring(why))

    return "ok"
end

return { main = main }
