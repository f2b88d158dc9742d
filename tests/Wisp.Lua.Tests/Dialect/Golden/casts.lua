local user = data :: User
local same = data as User
local name = (user!).name
local chained = data as any as User
local bang = maybe!!!
local inside = { items = {} :: {[string]: string}, count = n as integer }
local u = User(data)
local s = string(x)
local n = integer(x)
local b = boolean(x)
local p, err = Point:is(data)
local function f(x) return x :: number end
::continue::
goto continue
