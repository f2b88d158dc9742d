local function add(a: number, b: number): number
    return a + b
end

local function div_mod(a: number, b: number): (number, number)
    return math.floor(a / b), a % b
end

local function fetch(url: string): (string?, error?)
end

local double: (number) -> number = function(x: number): number
    return x * 2
end

local function sum(...: number): number
    local total: number = 0
    for _, v in ipairs({...}) do total = total + v end
    return total
end

function fail(msg: string): never
    error(msg)
end

function M.method(self, x: number, ...): string, number
    return "", x
end

function Obj:with<T>(key: string,
                     value: T): Obj
    return self
end

local none = function(): () end
local chained: () -> () -> () -> number
local both: fun(string, number): (boolean, string?)
