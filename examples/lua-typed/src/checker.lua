-- Checks each order it receives and answers with a Verdict, until asked to stop.
local orders = require("orders")

local function verdict_for(data: any): Verdict
    local order, err = orders.Order:is(data)
    if order == nil then
        return { id = data.id, ok = false, units = 0, reason = err:message() }
    end
    return { id = order.id, ok = true, units = orders.units(order!) }
end

local function main(): integer
    local inbox = process.inbox()
    while true do
        local msg = inbox:receive()
        if msg:topic() == "stop" then return 0 end
        process.send(msg:from(), "verdict", verdict_for(msg:payload():data()))
    end
end

return { main = main }
