local limit         <const> = 10
local handle        <close> = nil
local x <const>, y         = 1, "two"
