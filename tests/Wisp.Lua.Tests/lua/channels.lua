-- channel: unbuffered and buffered channels, close, select with send and receive cases and default.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    local buffered = channel.new(2)
    eq(buffered:send("a"), true, "a send into room")
    buffered:send({ n = 1 })
    local v, ok = buffered:receive()
    eq(v, "a", "FIFO")
    eq(ok, true, "ok")
    local t = buffered:receive()
    eq(t.n, 1, "a table")

    -- within a process values are not copied: the same table comes out
    local shared = {}
    buffered:send(shared)
    assert(rawequal(buffered:receive(), shared), "a channel hands over the value itself")

    -- unbuffered: a coroutine receives what main sends
    local sync = channel.new()
    local got = {}
    coroutine.spawn(function()
        while true do
            local value, more = sync:receive()
            if not more then break end
            got[#got + 1] = value
        end
        got.closed = true
    end)
    sync:send(1)
    sync:send(2)
    sync:close()
    sync:close()   -- closing twice does nothing
    local r = channel.select { buffered:case_receive(), default = true }
    eq(r.default, true, "default when nothing is ready")
    eq(r.ok, true, "default ok")
    eq(got[1], 1, "first")   -- the receiver stored it before it could take the second
    local value, more = sync:receive()
    eq(value, nil, "a closed empty channel gives nil")
    eq(more, false, "and false")
    coroutine.yield()   -- the process's other coroutines run: the receiver stores the second value and sees the close
    eq(got[2], 2, "second")
    eq(got.closed, true, "the receiver saw the close")

    -- a send on a closed channel raises
    local raised, message = pcall(sync.send, sync, 3)
    assert(not raised and message:find("send on closed channel", 1, true), "send on closed: " .. tostring(message))

    -- buffered values stay readable after close
    local c = channel.new(3)
    c:send("x")
    c:close()
    eq(c:receive(), "x", "readable after close")
    eq(select(2, c:receive()), false, "then closed")

    -- select: first ready case in order, send cases, the channel in the result
    local a, b = channel.new(1), channel.new(1)
    b:send("from b")
    a:send("from a")
    r = channel.select { a:case_receive(), b:case_receive() }
    assert(r.channel == a, "the first ready case wins")
    eq(r.value, "from a", "its value")
    eq(r.ok, true, "ok")
    r = channel.select { a:case_receive(), b:case_receive() }
    assert(r.channel == b, "then the other")
    r = channel.select { b:case_receive(), a:case_send("sent") }
    assert(r.channel == a, "a send case")
    eq(r.value, "sent", "a send case's value is the sent one")
    eq(a:receive(), "sent", "it was sent")
    r = channel.select({ a:case_receive() }, true)
    eq(r.default, true, "default as the second argument")

    -- a select that waits: a coroutine sends later
    local late = channel.new()
    coroutine.spawn(function() late:send("late") end)
    r = channel.select { late:case_receive() }
    eq(r.value, "late", "a parked select is completed")

    -- errors
    local bad, why = pcall(channel.select, 42)
    assert(not bad and why:find("bad argument #1 to 'select' %(table expected, got number%)"), tostring(why))
    bad, why = pcall(channel.new, "x")
    assert(not bad and why:find("bad argument #1 to 'new'"), tostring(why))
    eq(channel.new(-3):case_send(1) ~= nil, true, "a negative size is unbuffered")
    bad, why = pcall(process.inbox().send, process.inbox(), 1)
    assert(not bad and why:find("cannot send on the process's inbox", 1, true), tostring(why))
    return "ok"
end

return { main = main }
