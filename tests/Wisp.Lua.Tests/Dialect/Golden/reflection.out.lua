local __wisp_T = __wisp_types(_ENV, {}, {{"array","number"},{"map","string","number"},{"opt","number"},{"fn",{{false,"number"},{false,"string"},},false,{"boolean",}},}); local arr           = {1, 2, 3}
local arrType = __wisp_T[1]
print(arrType:elem():kind())

local map                     = {}
print(__wisp_T[2]:key():kind())

local opt          = nil
print(__wisp_T[3]:kind(), __wisp_T[3]

:inner():kind())

local fn                             
print(__wisp_T[4]:ret():kind())

local same           = {}
print(__wisp_T[1] == arrType, typeof(42), typeof(unknown_global))

local function shadowed(typeof)
    return typeof(arr)
end
