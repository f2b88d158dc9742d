local io = require("io")

local WORKERS, JOBS = 4, 20

local function main()
    local workers = {}
    for i = 1, WORKERS do
        workers[i] = process.spawn_monitored("app:worker", "app:processes", i)
    end
    for job = 1, JOBS do
        process.send(workers[(job - 1) % WORKERS + 1], "job", job)
    end

    local inbox, sum, per_worker = process.inbox(), 0, {}
    for _ = 1, JOBS do
        local result = inbox:receive():payload():data()
        sum = sum + result.square
        per_worker[result.worker] = (per_worker[result.worker] or 0) + 1
    end
    io.print("sum of squares 1.." .. JOBS .. " = " .. sum)
    for i = 1, WORKERS do io.print("worker " .. i .. " did " .. per_worker[i] .. " jobs") end

    for _, pid in ipairs(workers) do process.cancel(pid, "pool closing") end
    local events, stopped = process.events(), 0
    while stopped < WORKERS do
        local e = events:receive()
        if e.kind == process.event.EXIT then stopped = stopped + 1 end
    end
    io.print(stopped .. " workers stopped")
    return 0
end

return { main = main }
