local io = require("io")
local events = require("events")

local function main()
    local me, inbox = process.pid(), process.inbox()
    process.spawn("app:subscriber", "app:processes", "all news", me, "news.*")
    process.spawn("app:subscriber", "app:processes", "sport only", me, "news.sport")
    for _ = 1, 2 do inbox:receive() end   -- both subscribed

    events.send("news.world", "published", "/articles/1", { title = "Rain" })
    events.send("news.sport", "published", "/articles/2", { title = "Goal" })
    events.send("weather", "published", "/today", { title = "Sun" })   -- no subscriber's pattern
    events.send("news.sport", "retracted", "/articles/2")
    events.send("news.world", "done", "/")
    events.send("news.sport", "done", "/")

    local reports = {}
    for _ = 1, 2 do
        local report = inbox:receive():payload():data()
        reports[report.name] = report.events
    end
    for _, name in ipairs({ "all news", "sport only" }) do
        io.print(name .. ":")
        for _, line in ipairs(reports[name]) do io.print("  " .. line) end
    end
    return 0
end

return { main = main }
