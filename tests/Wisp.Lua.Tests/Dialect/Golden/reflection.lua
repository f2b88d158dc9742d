local arr: {number} = {1, 2, 3}
local arrType = typeof(arr)
print(arrType:elem():kind())

local map: {[string]: number} = {}
print(typeof(map):key():kind())

local opt: number? = nil
print(typeof(opt):kind(), typeof(
    opt
):inner():kind())

local fn: (number, string) -> boolean
print(typeof(fn):ret():kind())

local same: {number} = {}
print(typeof(same) == arrType, typeof(42), typeof(unknown_global))

local function shadowed(typeof)
    return typeof(arr)
end
