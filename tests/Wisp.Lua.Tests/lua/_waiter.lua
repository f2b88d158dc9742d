-- A helper: waits for a message and returns its first payload (or the topic if it has none).
local function main(...)
    local args = { ... }
    local msg = process.inbox():receive()
    if msg:topic() == "fail" then error("asked to fail") end
    if msg:topic() == "args" then return args end
    local p = msg:payload()
    return p and p:data() or msg:topic()
end

return { main = main }
