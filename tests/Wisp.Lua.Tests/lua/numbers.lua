-- Numbers as the reference keeps and prints them: integers stay integers; a float with an integral value prints
-- without ".0" wherever a number becomes text (Wisp's build of Lua; docs/lua.md).
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

return { main = function()
    eq(tostring(10 / 2), "5", "tostring of an integral float")
    eq(10 / 2 .. "", "5", "concatenation")
    eq(string.format("%s", 2 ^ 3), "8", "string.format %s")
    eq(tostring(-4 / 2), "-2", "a negative one")
    eq(tostring(0.5), "0.5", "a fraction keeps its digits")
    eq(tostring(1e100), "1e+100", "a large float")
    eq(tostring(7 // 2), "3", "integer division of integers")
    eq(math.type(10 / 2), "float", "still a float")
    eq(math.type(3 + 4), "integer", "integers stay integers")
    eq(string.format("%d", 3.0), "3", "%d of an integral float")
    eq(string.format("%.1f", 5), "5.0", "an explicit format is kept")
    -- through a message and back: the integer stays one, the float too
    process.send(process.pid(), "n", { i = 42, f = 10 / 2 })
    local m = process.inbox():receive():payload():data()
    eq(math.type(m.i), "integer", "an integer across a message")
    eq(math.type(m.f), "float", "a float across a message")
    eq(tostring(m.f), "5", "and it prints as the reference")
    eq(unpack({ 1, 2 }), 1, "unpack, a Lua 5.1 global the reference keeps")
end }
