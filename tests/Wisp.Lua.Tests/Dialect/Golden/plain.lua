-- plain Lua 5.4 that looks like the dialect: it passes through untouched
local as = 1
local y = as + 1
local t = { type = "x", as = 2 }
t.type = type(t)
local count <const> = 3
local file <close> = nil
for i = 1, count do
    if i == 2 then goto continue end
    ::continue::
end
local a, b = obj:method(1), obj.field
local s = [==[
local x: number = 1
]==] .. "x :: y" .. 'as T'
--[[ type Fake = {} ]]
local n = 0x1.8p3 + 3e-2 + 0xff + .5 + 7 // 2
local c = x ~= y and not z
local e = "\z
           esc\x41\65\u{48}"
return { as = as, y = y }
