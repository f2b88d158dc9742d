local function pair(a: number, b: string): number, string
    return a, b
end

function M.method(self, x: number, ...): string, number
    return "", x
end

function Obj:with<T>(key: string,
                     value: T): Obj
    return self
end

local function opener(path: string):
        (string?, error?)
    return nil, nil
end

local none = function(): () end
local chained: () -> () -> () -> number
local both: fun(string, number): (boolean, string?)
local handler: (self: any, event: {kind: string}) -> boolean = function(self, event) return true end
