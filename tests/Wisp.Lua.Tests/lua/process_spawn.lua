-- process: spawn (plain, monitored, linked), EXIT and LINK_DOWN events, monitor/link by hand, cancel, terminate.
local time = require("time")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

local events = process.events()

local function next_event()
    local timeout = time.after("20s")
    local r = channel.select { events:case_receive(), timeout:case_receive() }
    assert(r.channel == events, "no event within 20s")
    return r.value
end

local function main()
    assert(rawequal(events, process.events()), "the events channel is the same on every call")

    -- a monitored child's EXIT: kind, from, at, result.value
    local child = process.spawn_monitored("app:_quick", "app:processes", { answer = 42 })
    local exit = next_event()
    eq(exit.kind, process.event.EXIT, "kind")
    eq(exit.from, child, "from")
    eq(math.type(exit.at), "integer", "at is unix seconds")
    assert(math.abs(exit.at - os.time()) < 60, "at is now")
    eq(exit.result.value.answer, 42, "result.value")
    eq(exit.result.error, nil, "no error")

    -- a child that fails: result.error is an error object with the file and line
    child = process.spawn_monitored("app:_quick", "app:processes", "fail")
    exit = next_event()
    eq(exit.from, child, "from of the failure")
    eq(exit.result.value, nil, "no value")
    local message = tostring(exit.result.error)
    assert(message:find("_quick.lua:4: quick failure", 1, true), "the error names file and line: " .. message)
    eq(type(exit.result.error), "userdata", "an error object")

    -- main returning nil, "msg" is an error exit
    child = process.spawn_monitored("app:_quick", "app:processes", "nil-err")
    eq(tostring(next_event().result.error), "returned an error", "return nil, err")

    -- spawn errors
    local pid, err = process.spawn("app:nothing", "app:processes")
    eq(pid, nil, "an unknown entry")
    eq(tostring(err), "entry not found: app:nothing", "its message")
    eq(err:kind(), "NotFound", "its kind")
    pid, err = process.spawn("app:_quick", "app:nowhere")
    eq(tostring(err), "host not found: app:nowhere", "an unknown host")
    pid, err = process.spawn("app:_quick")
    eq(tostring(err), "spawn requires at least id and host arguments", "too few arguments")
    pid, err = process.spawn_linked_monitored("app:_quick")
    eq(tostring(err), "spawn_linked_monitored requires at least id and host arguments", "its name in the message")

    -- monitor by hand, then cancel: CANCEL reaches the child, which returns
    local waiter = process.spawn("app:_waiter", "app:processes")
    eq(process.monitor(waiter), true, "monitor")
    local again, again_err = process.monitor(waiter)
    eq(again, nil, "monitoring twice")
    eq(tostring(again_err), "already monitoring pid " .. waiter, "its message")
    process.send(waiter, "hello", "payload")
    exit = next_event()
    eq(exit.from, waiter, "the monitored exit")
    eq(exit.result.value, "payload", "its value")
    local _, dead = process.monitor(waiter)
    eq(tostring(dead), "pid not registered: " .. waiter, "monitoring a dead pid")

    -- unmonitor: no EXIT afterwards
    waiter = process.spawn_monitored("app:_waiter", "app:processes")
    eq(process.unmonitor(waiter), true, "unmonitor")
    process.send(waiter, "bye")
    process.cancel(process.pid(), "marker")
    local marker = next_event()
    eq(marker.kind, process.event.CANCEL, "the marker is the next event: no EXIT came")
    eq(marker.reason, "marker", "reason")
    eq(marker.from, process.pid(), "from of a cancel")

    -- terminate: EXIT with "process terminated"
    waiter = process.spawn_monitored("app:_waiter", "app:processes")
    eq(process.terminate(waiter), true, "terminate")
    exit = next_event()
    eq(tostring(exit.result.error), "process terminated", "terminated")
    local _, gone = process.terminate(waiter)
    eq(tostring(gone), "process not found: " .. waiter, "terminating a dead pid")

    -- links: with trap_links, LINK_DOWN arrives as an event
    process.set_options({ trap_links = true })
    child = process.spawn_linked("app:_waiter", "app:processes")
    process.send(child, "fail")
    local down = next_event()
    eq(down.kind, process.event.LINK_DOWN, "LINK_DOWN")
    eq(down.from, child, "from of LINK_DOWN")
    assert(tostring(down.result.error):find("asked to fail", 1, true), "its error")
    -- a link by hand, unlinked before the failure: nothing comes
    child = process.spawn("app:_waiter", "app:processes")
    eq(process.link(child), true, "link")
    eq(process.unlink(child), true, "unlink")
    process.send(child, "fail")
    process.cancel(process.pid(), "marker2")
    eq(next_event().reason, "marker2", "no LINK_DOWN after unlink")
    return "ok"
end

return { main = main }
