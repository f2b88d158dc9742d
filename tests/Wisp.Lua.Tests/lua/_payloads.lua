-- Helpers for payload_module.lua: what a called function receives, and a function whose result is a transcoded payload.
local function received(x) return { kind = type(x), x = x } end

local function encoded(format) return payload.new({ n = 1, list = { "a", "b" } }):transcode(format) end

return { received = received, encoded = encoded }
