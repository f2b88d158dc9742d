-- Helpers for funcs.lua: function.lua entries sharing this file, each its own method.
local function double(x) return x * 2 end

local function echo(...) return { n = select("#", ...), ... } end

local function fail(how, text)
    if how == "raise" then error(text) end
    if how == "object" then return nil, errors.new({ message = text, kind = errors.CONFLICT, retryable = true }) end
    return nil, text
end

-- A call is a process of its own: a PID and an inbox.
local function whoami()
    process.send(process.pid(), "self", "x")
    local m = process.inbox():receive()
    return { pid = process.pid(), topic = m:topic(), from = m:from() }
end

local function nested(x)
    local funcs = require("funcs")
    local y, err = funcs.call("app:double", x)
    if err then return nil, err end
    return y + 1
end

local function sleeper()
    require("time").sleep("60s")
end

-- The request context a call carries (ctx), read whole, by key, and by a nested call.
local function context() return require("ctx").all() end
local function context_key(key) return require("ctx").get(key) end
local function context_nested() return require("funcs").call("app:context") end
local function context_spawned()
    process.spawn_monitored("app:context_child", "app:processes")
    return process.events():receive().result.value
end

return { double = double, echo = echo, fail = fail, whoami = whoami, nested = nested, sleeper = sleeper,
    context = context, context_key = context_key, context_nested = context_nested, context_spawned = context_spawned }
