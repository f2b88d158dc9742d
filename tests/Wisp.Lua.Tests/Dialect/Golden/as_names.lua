local value = compute()
as(value)
as { value }
as "value"
local cast = value as Type
local multiline = value
    as Other
as = nil
local t = { as = 1 }
print(t.as, t["as"])
