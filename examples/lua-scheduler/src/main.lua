local io = require("io")
local time = require("time")
local registry = require("registry")

-- Runs every job the registry holds, each in a coroutine on its own ticker; a job's runs are printed in order,
-- and the coroutines report to the main one when they are done.
local function run_jobs(jobs)
    local done = channel.new(#jobs)
    local lines = {}
    for _, job in ipairs(jobs) do
        coroutine.spawn(function()
            local ticker = time.ticker(job.data.every)
            for run = 1, job.data.times do
                ticker:channel():receive()
                lines[#lines + 1] = { job.id, run, job.data.say }
            end
            ticker:stop()
            done:send(job.id)
        end)
    end
    for _ = 1, #jobs do done:receive() end
    -- print by job, then run: the interleaving of tickers is the clock's, the output is not
    table.sort(lines, function(a, b) if a[1] ~= b[1] then return a[1] < b[1] end return a[2] < b[2] end)
    for _, line in ipairs(lines) do io.print(line[1] .. " run " .. line[2] .. ": " .. line[3]) end
end

local function main()
    io.print(registry.get("app:settings").data.greeting)
    local jobs = registry.find({ ["meta.type"] = "job" })
    io.print(#jobs .. " jobs in the registry")
    run_jobs(jobs)

    local changes = registry.snapshot():changes()
    changes:create({ id = "app:cleanup", kind = "registry.entry", meta = { type = "job" },
        data = { every = "10ms", times = 1, say = "cleaning up" } })
    changes:delete("app:backup")
    local version = changes:apply()
    io.print("registry version " .. version:id() .. ": " .. #registry.find({ ["meta.type"] = "job" }) .. " jobs")
    run_jobs(registry.find({ ["meta.type"] = "job" }))
    return 0
end

return { main = main }
