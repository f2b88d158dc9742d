local function identity<T>(x: T): T
    return x
end

type HasName = {name: string}

local function greet<T: HasName>(obj: T): string
    return "Hello, " .. obj.name
end

type Box<T> = {value: T}
local nested: Box<Box<number>> = {value = {value = 1}}
local tight: Box<number>= nil
local f = function<K, V>(map: {[K]: V}): {K}
    return {}
end
