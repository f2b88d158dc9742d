-- A library written in the typed dialect (types_values imports it): its types are globals of its own environment.
type Vector = {x: number, y: number}

local function make(x: number, y: number): Vector
    return Vector({ x = x, y = y })
end

return { Vector = Vector, make = make, kind = function(): string return typeof(Vector):kind() end }
