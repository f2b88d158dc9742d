-- Imports: library.lua entries required by alias (see _entries.yaml); a library at the top level too.
local greet = require("greet")
local function eq(a, b, what) assert(a == b, what .. ": expected " .. tostring(b) .. ", got " .. tostring(a)) end

return { main = function()
    eq(greet.hello("wisp"), "hello wisp", "a library's function")
    eq(greet.nap(), true, "a library uses its own modules")
    local ok, why = pcall(require, "time")
    assert(not ok and why:find("module 'time' is not allowed: add it to the modules of app:uses_libs", 1, true), tostring(why))
    eq(rawget(_ENV, "LIB_GLOBAL"), nil, "a library's globals are its own")
    eq(greet.global(), "set", "and it sees them")

    -- a library is loaded once per process, whatever alias names it
    local one, other = require("count"), require("count_again")
    assert(rawequal(one, other), "one table per process")

    -- a cycle of imports is Lua's loop error where it closes
    local a = require("cycle_a")
    assert(a.b_saw:find("loop or previous error loading module 'cycle_a'", 1, true), a.b_saw)

    local ok2, why2 = pcall(require, "nope")
    assert(not ok2 and why2:find("module 'nope' not found", 1, true), tostring(why2))
    return "ok"
end }
