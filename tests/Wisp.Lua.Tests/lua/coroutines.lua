-- coroutine.spawn (the process's coroutines) and the standard coroutines, also when their body waits.
local time = require("time")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    -- a spawned coroutine runs first, until it waits; it shares the process's memory
    local order = {}
    local woke = channel.new()
    local co = coroutine.spawn(function()
        order[#order + 1] = "child"
        time.sleep("10ms")
        order[#order + 1] = "child after sleep"
        woke:send(true)
    end)
    order[#order + 1] = "parent"
    eq(type(co), "thread", "spawn returns the coroutine")
    eq(order[1], "child", "the child ran first")
    eq(order[2], "parent", "then the parent, while the child sleeps")
    woke:receive()
    eq(order[3], "child after sleep", "the child went on after its sleep")

    local bad, why = pcall(coroutine.spawn, 42)
    assert(not bad and why:find("bad argument #1 to 'spawn' %(function expected, got number%)"), tostring(why))

    -- a generator made with wrap that sleeps between values
    local gen = coroutine.wrap(function()
        for i = 1, 3 do
            time.sleep("1ms")
            coroutine.yield(i * 10)
        end
        return "end"
    end)
    eq(gen(), 10, "first")
    eq(gen(), 20, "second")
    eq(gen(), 30, "third")
    eq(gen(), "end", "last")

    -- create/resume with a receive inside, values passed both ways
    local inbox = process.inbox()
    local inner = coroutine.create(function(x)
        process.send(process.pid(), "ping", x)
        local msg = inbox:receive()
        local y = coroutine.yield(msg:payload():data() .. "+got")
        return "done:" .. y
    end)
    local ok, first = coroutine.resume(inner, "hello")
    eq(ok, true, "resume")
    eq(first, "hello+got", "a yielded value after a blocking call")
    eq(coroutine.status(inner), "suspended", "suspended")
    local ok2, last = coroutine.resume(inner, "y")
    eq(last, "done:y", "the return value")
    eq(coroutine.status(inner), "dead", "dead")

    -- wrap inside wrap, with sleeps
    local outer = coroutine.wrap(function()
        local deep = coroutine.wrap(function()
            time.sleep("1ms")
            coroutine.yield("deep")
        end)
        coroutine.yield(deep())
    end)
    eq(outer(), "deep", "nested")

    -- an error inside wrap propagates to the caller
    local failing = coroutine.wrap(function()
        time.sleep("1ms")
        error("boom-in-wrap")
    end)
    local raised, message = pcall(failing)
    assert(not raised and message:find("boom-in-wrap", 1, true), tostring(message))
    eq(coroutine.isyieldable(), true, "the process's main is a coroutine")

    -- a busy loop inside a user coroutine is preempted and resumed transparently
    local busy = coroutine.wrap(function()
        local n = 0
        for i = 1, 3000000 do n = n + i end
        return n
    end)
    eq(busy(), 4500001500000, "a long loop in a coroutine finishes with the right value")
    return "ok"
end

return { main = main }
