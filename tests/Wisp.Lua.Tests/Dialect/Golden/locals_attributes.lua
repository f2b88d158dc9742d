local limit: number <const> = 10
local handle: File? <close> = nil
local x <const>, y: string = 1, "two"
