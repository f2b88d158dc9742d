-- A worker: squares each job it is sent and replies to the sender, until it is cancelled.
local function main(id)
    local inbox, events = process.inbox(), process.events()
    while true do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        if r.channel == events then
            if r.value.kind == process.event.CANCEL then return id end
        else
            local job = r.value:payload():data()
            process.send(r.value:from(), "result", { worker = id, job = job, square = job * job })
        end
    end
end

return { main = main }
