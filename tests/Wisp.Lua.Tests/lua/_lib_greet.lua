-- A library: its own globals, and the modules its entry lists (time), which its importers need not list.
local time = require("time")
LIB_GLOBAL = "set"
return {
    hello = function(name) return "hello " .. name end,
    nap = function() time.sleep("1ms") return true end,
    global = function() return LIB_GLOBAL end,
}
