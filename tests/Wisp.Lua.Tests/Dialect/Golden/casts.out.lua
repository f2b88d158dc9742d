local __wisp_T = __wisp_types(_ENV, {}, {}); local user = data        
local same = data        
local name = (user ).name
local chained = data               
local bang = maybe   
local inside = { items = {}                      , count = n            }
local u = User(data)
local s = __wisp_T.string(x)
local n = integer(x)
local b = boolean(x)
local p, err = Point:is(data)
local function f(x) return x           end
::continue::
goto continue
