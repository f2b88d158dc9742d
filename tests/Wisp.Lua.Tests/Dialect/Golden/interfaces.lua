interface Serializable
    function serialize(self: any): string
end

interface Shape: Serializable, Named
    function area(self: Shape): number
    function scale(self: Shape, by: number, ...: number): Shape
end

interface Empty end
local interface = "a name"
