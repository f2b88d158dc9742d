-- process: identity, send (by PID and by name, several payloads), the inbox, Message objects, send errors.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    local pid = process.pid()
    assert(type(pid) == "string" and pid:match("^{app:processes|0x%x%x%x%x%x+}$"), "pid format: " .. pid)
    eq(process.pid(), pid, "the pid is stable")
    eq(process.id(), "app:process_messages", "process.id() is the entry id")
    local inbox = process.inbox()
    assert(rawequal(inbox, process.inbox()), "the inbox is the same channel on every call")

    eq(process.send(pid, "one", { n = 42, f = 1.5, list = { "a", "b" }, nested = { deep = true } }), true, "send")
    local msg = inbox:receive()
    eq(msg:topic(), "one", "topic")
    eq(msg:from(), pid, "from")
    eq(tostring(msg), "process.Message{topic=one}", "tostring(message)")
    local payload = msg:payload()
    eq(payload:get_format(), "lua/any", "format")
    local data = payload:data()
    eq(math.type(data.n), "integer", "an integer stays an integer")
    eq(data.n, 42, "n")
    eq(data.f, 1.5, "f")
    eq(#data.list, 2, "list")
    eq(data.nested.deep, true, "nested")
    eq(payload:unmarshal().n, 42, "unmarshal")

    assert(process.registry.register("me"))
    process.send("me", "two", "x", 2, false)
    local many = inbox:receive():payload()
    eq(#many, 3, "three payloads in one message")
    eq(many[1]:data(), "x", "first payload")
    eq(many[2]:data(), 2, "second payload")
    eq(many[3]:data(), false, "third payload")

    process.send(pid, "none")
    eq(inbox:receive():payload(), nil, "no payload")

    local ok, err = process.send("nobody", "t", 1)
    eq(ok, nil, "send to an unknown name fails")
    eq(tostring(err), "could not resolve 'nobody' as PID or registered name", "its message")
    eq(err:kind(), errors.NOT_FOUND, "its kind")
    ok, err = process.send(pid, "@inbox", 1)
    eq(tostring(err), "cannot send to @ topics", "@ topics")
    eq(err:kind(), "Invalid", "@ kind")
    ok, err = process.send(pid)
    eq(tostring(err), "send requires at least destination and topic arguments", "too few arguments")
    local raised, message = pcall(process.send, {}, "t")
    assert(not raised and message:find("bad argument #1 to 'send' %(string expected, got table%)"), "a wrong type raises: " .. tostring(message))
    ok, err = process.send("{app:processes|0xfffff}", "t")
    eq(tostring(err), "process not found: {app:processes|0xfffff}", "a dead pid")

    -- functions and channels become nil; a table that contains itself stays so
    local t = { f = print, c = inbox, name = "t" }
    t.self = t
    process.send(pid, "cycle", t)
    local back = inbox:receive():payload():data()
    eq(back.f, nil, "a function becomes nil")
    eq(back.c, nil, "a channel becomes nil")
    assert(rawequal(back.self, back), "a cycle is kept")
    assert(not rawequal(back, t), "the receiver has its own copy")
    return "ok"
end

return { main = main }
