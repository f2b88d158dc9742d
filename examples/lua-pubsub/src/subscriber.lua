local events = require("events")

-- Subscribes to a system pattern (and kind), tells main it listens, then collects events until the "done" kind and
-- sends main what it heard.
local function main(name, reply_to, system, kind)
    local sub = events.subscribe(system, kind)
    process.send(reply_to, "ready", name)
    local heard, ch = {}, sub:channel()
    while true do
        local e = ch:receive()
        if e.kind == "done" then break end
        heard[#heard + 1] = e.system .. " " .. e.kind .. " " .. e.path .. (e.data and (" " .. e.data.title) or "")
    end
    sub:close()
    process.send(reply_to, "heard", { name = name, events = heard })
end

return { main = main }
