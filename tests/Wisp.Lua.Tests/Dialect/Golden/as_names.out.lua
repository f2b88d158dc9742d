local value = compute()
as(value)
as { value }
as "value"
local cast = value        
local multiline = value
            
as = nil
local t = { as = 1 }
print(t.as, t["as"])
