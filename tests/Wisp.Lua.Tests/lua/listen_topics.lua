-- process.listen / unlisten: topic channels, raw payloads or Message objects, the inbox as fallback.
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local function main()
    local pid = process.pid()
    local raw = process.listen("raw")
    local msgs = process.listen("msgs", { message = true })
    local inbox = process.inbox()
    assert(rawequal(process.listen("raw"), raw), "the same channel for a topic on every call")
    process.send(pid, "other", "to the inbox")
    process.send(pid, "raw", { a = 1 })
    process.send(pid, "raw", 1, 2)
    process.send(pid, "msgs", "m")
    eq(raw:receive().a, 1, "a raw payload")
    local several = raw:receive()
    eq(several[1] + several[2], 3, "several payloads are an array")
    local m = msgs:receive()
    eq(m:topic(), "msgs", "a Message object")
    eq(m:payload():data(), "m", "its payload")
    eq(inbox:receive():payload():data(), "to the inbox", "other topics go to the inbox")

    local _, err = process.listen("")
    eq(tostring(err), "topic cannot be empty", "an empty topic")
    _, err = process.listen("@x")
    eq(tostring(err), "cannot listen to @ topics", "an @ topic")

    eq(process.unlisten(raw), true, "unlisten")
    local value, ok = raw:receive()
    eq(ok, false, "unlisten closes the channel")
    process.send(pid, "raw", "now inbox")
    eq(inbox:receive():payload():data(), "now inbox", "after unlisten the topic goes to the inbox")
    local again, again_err = process.unlisten(raw)
    eq(again, false, "unlisten twice")
    assert(not rawequal(process.listen("raw"), raw), "listening again after unlisten gives a new channel")
    return "ok"
end

return { main = main }
