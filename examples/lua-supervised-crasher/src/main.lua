local io = require("io")
local time = require("time")

-- The PID registered as "crasher", once a (new) one is there: the service restarts it after a short backoff.
local function crasher_other_than(old)
    while true do
        local pid = process.registry.lookup("crasher")
        if pid and pid ~= old then return pid end
        time.sleep("20ms")
    end
end

local function ping(pid)
    process.send(pid, "ping")
    local reply = process.inbox():receive()
    return reply:payload():data()
end

local function main()
    local pid = crasher_other_than(nil)
    local seen = { [pid] = true }
    io.print("crasher answers: " .. tostring(ping(pid) == pid))
    for round = 1, 3 do
        process.monitor(pid)
        process.send(pid, "crash")
        local exit = process.events():receive()
        io.print("round " .. round .. ": it failed (" .. tostring(exit.result.error):match("asked to crash") .. ")")
        pid = crasher_other_than(pid)
        io.print("round " .. round .. ": restarted under a new PID: " .. tostring(not seen[pid] and ping(pid) == pid))
        seen[pid] = true
    end
    return 0
end

return { main = main }
