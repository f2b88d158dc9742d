-- Registers as "crasher"; answers "ping" with its PID, and fails on "crash".
local function main()
    process.registry.register("crasher")
    local inbox = process.inbox()
    while true do
        local msg = inbox:receive()
        if msg:topic() == "crash" then error("asked to crash") end
        process.send(msg:from(), "pong", process.pid())
    end
end

return { main = main }
