-- funcs: entries called as functions, each call a process of its own; results and every documented error.
local funcs = require("funcs")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    local ok, why
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

    -- async: a future whose channel gives the result once, as a Payload
    local f, ferr = funcs.async("app:double", 4)
    eq(ferr, nil, "async starts")
    local ch = f:response()
    assert(rawequal(ch, f:channel()), "channel() is response()")
    local p, ok = ch:receive()
    eq(ok, true, "a value came")
    eq(p:data(), 8, "as a payload")
    eq(f:is_complete(), true, "complete")
    eq(f:is_canceled(), false, "not canceled")
    local r, rerr = f:result()
    eq(r:data(), 8, "result() is the payload")
    eq(rerr, nil, "and no error")
    local fe, has = f:error()
    eq(fe, nil, "no error value")
    eq(has, false, "has no error")

    -- several at once: a select over their channels fires once for each
    local futures, pending, sum = {}, {}, 0
    for i = 1, 3 do futures[i] = funcs.async("app:double", i) end
    for _ = 1, 3 do
        local r2 = channel.select { futures[1]:channel():case_receive(), futures[2]:channel():case_receive(),
            futures[3]:channel():case_receive() }
        assert(not pending[r2.channel], "each fires once")
        pending[r2.channel] = true
        sum = sum + r2.value:data()
    end
    eq(sum, 12, "all three results")

    -- a failed call: the channel gives the error, result() and error() say so
    local failing = funcs.async("app:fail", "text", "bad input")
    local got = failing:channel():receive()
    eq(tostring(got), "bad input", "the error comes on the channel")
    local none2, e2 = failing:result()
    eq(none2, nil, "no result")
    eq(tostring(e2), "bad input", "result() gives the error")
    local e3, has3 = failing:error()
    eq(tostring(e3), "bad input", "error() gives it")
    eq(has3, true, "has an error")

    -- cancel stops the function: the future is canceled, its result the Canceled error
    local slow = funcs.async("app:sleeper")
    eq(slow:is_complete(), false, "still running")
    eq(slow:cancel(), true, "cancel")
    eq(slow:is_canceled(), true, "canceled")
    local _, ce = slow:result()
    eq(ce:kind(), errors.CANCELED, "canceled error")
    eq(tostring(ce), "canceled", "its message")
    local ended = slow:channel():receive()
    eq(tostring(ended), "process terminated", "the function was stopped")

    none, e = funcs.async("")
    eq(tostring(e), "target name is required", "async checks its target")
    ok, why = pcall(funcs.async, nil)
    assert(not ok and why:find("bad argument #1 to 'async' (string expected, got nil)", 1, true), tostring(why))

    -- an executor: a request context the function reads with ctx, passed on to the calls it makes; options
    local exec = funcs.new():with_context({ request_id = "r-1", user = { id = 7 } })
    local seen = exec:call("app:context")
    eq(seen.request_id, "r-1", "a context value")
    eq(seen.user.id, 7, "a table in the context")
    local more = exec:with_context({ tenant = "t" })
    local seen2 = more:call("app:context")
    eq(seen2.request_id .. " " .. seen2.tenant, "r-1 t", "merged")
    eq(exec:call("app:context").tenant, nil, "an executor does not change")
    eq(exec:call("app:context_nested").request_id, "r-1", "passed on to a nested call")
    eq(exec:call("app:context_spawned").request_id, "r-1", "and to a process it spawns")
    eq(next(funcs.call("app:context")), nil, "no context without an executor")
    eq(exec:call("app:context_key", "request_id"), "r-1", "ctx.get")
    local _, ke = exec:call("app:context_key", "missing")
    eq(tostring(ke), "context key not found: missing", "a missing key")
    eq(ke:kind(), errors.NOT_FOUND, "is not found")
    local fut = exec:async("app:context")
    eq(fut:channel():receive():data().request_id, "r-1", "async with an executor")
    local _, te = funcs.new():with_options({ timeout = 50 }):call("app:sleeper")
    eq(te:kind(), errors.TIMEOUT, "a call past its timeout")
    local no_actor, ae = funcs.new():with_actor({})
    eq(no_actor, nil, "no security actors")
    eq(ae:kind(), errors.UNAVAILABLE, "unavailable")

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
    ok, why = pcall(funcs.call, 42)
    assert(not ok and why:find("bad argument #1 to 'call' (string expected, got number)", 1, true), tostring(why))

    return "ok"
end

return { main = main }
